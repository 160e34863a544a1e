package org.mispsentinel.osgi;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back when a {@code *.camel.yaml} file in the routes directory is saved, added or removed,
 * also while the pipeline waits for a route file that loads: Declarative Services reports only
 * configuration changes, and Camel's own route reload runs only inside a started context.
 */
final class RouteFilesWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFilesWatcher.class);
    /** An editor's save is several events (write, rename, attributes): one restart for all of them. */
    private static final long SETTLE_MILLIS = 500;

    private final Path directory;
    private final WatchService watch;

    private RouteFilesWatcher(Path directory, WatchService watch) {
        this.directory = directory;
        this.watch = watch;
    }

    static RouteFilesWatcher start(Path directory, Runnable changed) throws IOException {
        WatchService watch = FileSystems.getDefault().newWatchService();
        try {
            directory.register(watch, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
        } catch (IOException e) {
            watch.close();
            throw e;
        }
        RouteFilesWatcher watcher = new RouteFilesWatcher(directory, watch);
        Thread thread = new Thread(() -> watcher.run(changed), "misp-sentinel-route-files");
        thread.setDaemon(true);
        thread.start();
        return watcher;
    }

    Path directory() {
        return directory;
    }

    private void run(Runnable changed) {
        try {
            while (true) {
                if (routeFileChanged(watch.take())) {
                    // drain the rest of the save before restarting once
                    for (WatchKey more = watch.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS); more != null;
                         more = watch.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) {
                        routeFileChanged(more);
                    }
                    changed.run();
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException stopped) {
            LOG.debug("no longer watching the route files in {}", directory);
        } catch (RuntimeException e) {
            LOG.error("stopped watching the route files in {}: {}; edited route files are read at the next "
                    + "change of etc/org.mispsentinel.cfg", directory, e.toString());
        }
    }

    private static boolean routeFileChanged(WatchKey key) {
        boolean routeFile = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            routeFile |= event.context() == null || event.context().toString().endsWith(".camel.yaml");
        }
        key.reset();
        return routeFile;
    }

    @Override
    public void close() throws IOException {
        watch.close();
    }
}
