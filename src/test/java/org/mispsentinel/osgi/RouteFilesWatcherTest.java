package org.mispsentinel.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFilesWatcherTest {

    @TempDir
    Path routes;

    @Test
    void aRouteFileSavedAsEditorsAndSedSaveItCallsBack() throws Exception {
        Path route = Files.writeString(routes.resolve("sync-cycle.camel.yaml"), "- route: {}\n");
        CountDownLatch changed = new CountDownLatch(1);

        try (RouteFilesWatcher watcher = RouteFilesWatcher.start(routes, changed::countDown)) {
            // sed -i and most editors: a new file renamed over the old one
            Path edited = Files.writeString(routes.resolve(".sync-cycle.tmp"), "- route: {id: edited}\n");
            Files.move(edited, route, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            assertThat(changed.await(30, TimeUnit.SECONDS)).as("called back").isTrue();
            assertThat(watcher.directory()).isEqualTo(routes);
        }
    }

    @Test
    void aRouteFileAddedCallsBack() throws Exception {
        CountDownLatch changed = new CountDownLatch(1);

        try (RouteFilesWatcher watcher = RouteFilesWatcher.start(routes, changed::countDown)) {
            Files.writeString(routes.resolve("extra.camel.yaml"), "- route: {}\n");

            assertThat(changed.await(30, TimeUnit.SECONDS)).as("called back").isTrue();
        }
    }
}
