package org.mispsentinel.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * The persistent state under {@code STATE_DIR}: one H2 MVStore file holding the delivered keys and
 * the MISP checkpoint. MVStore writes copy-on-write chunks and, on open, falls back to the last
 * complete commit, so a kill -9 mid-write loses at most the uncommitted tail; a file that is
 * damaged beyond that is refused with a message instead of being reset, because a silent reset
 * would re-deliver or skip without anyone knowing. The file lock makes a second instance on the
 * same directory fail within a few seconds (a --report or --check holds it only for a moment).
 *
 * <p>A store kept elsewhere (the PostgreSQL state, {@code org.mispsentinel.state}) extends this one:
 * the state classes work on its maps the same way, and it decides what {@link #commit()} does.
 */
public class StateStore implements AutoCloseable {

    public static final String FILE_NAME = "misp-sentinel.mv.db";
    /** Far longer than a --report or --check holds the file, far shorter than any stop timeout. */
    private static final java.time.Duration LOCK_WAIT = java.time.Duration.ofSeconds(5);
    private static final java.time.Duration LOCK_RETRY = java.time.Duration.ofMillis(100);

    private final MVStore store;
    private final Path dir;
    private final DeadLetters deadLetters;

    /**
     * @param store the maps every state class works on: the state itself here, a local mirror of it
     *              for a store kept elsewhere
     * @param dir   the directory of the files that belong to the state (its summary for --report)
     */
    protected StateStore(MVStore store, Path dir, DeadLetters deadLetters) {
        this.store = store;
        this.dir = dir;
        this.deadLetters = deadLetters;
        StateCaches.opened(store);
    }

    private StateStore(MVStore store, Path dir) {
        this(store, dir, new DeadLetters(dir));
    }

    public static StateStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StateException("state directory " + dir.toAbsolutePath() + " cannot be created: " + e.getMessage());
        }
        StateStore opened = open(dir, false);
        // --report and --check hold the file for a moment: a service starting then waits them out
        // instead of failing as if another instance ran (review 3, N17)
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (opened == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(LOCK_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            opened = open(dir, false);
        }
        if (opened == null) {
            throw new StateException("state file " + dir.resolve(FILE_NAME).toAbsolutePath() + " is locked: another "
                    + "misp-sentinel is running with the same STATE_DIR; stop it or give this one its own STATE_DIR");
        }
        return opened;
    }

    /**
     * A copy of the store of {@code dir} in {@code into}, for a run that must leave the state as it
     * is ({@code --dry-run}): opening a store may change it (a mapping change forgets the delivered
     * keys and rewinds the checkpoint). Refused, as a run is, while a running instance holds it.
     */
    public static void copy(Path dir, Path into) {
        StateStore free = openForReading(dir);
        if (free == null) {
            throw new StateException("state file " + dir.resolve(FILE_NAME).toAbsolutePath() + " is locked: another "
                    + "misp-sentinel is running with the same STATE_DIR; stop it or give this one its own STATE_DIR");
        }
        free.close();
        try {
            Files.createDirectories(into);
            Files.copy(dir.resolve(FILE_NAME), into.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new StateException("state file " + dir.resolve(FILE_NAME).toAbsolutePath() + " cannot be copied to "
                    + into + ": " + e.getMessage());
        }
    }

    /**
     * For reading only, as {@code --report} does. Null while a running instance holds the file: MVStore
     * takes a shared lock for reading, which the writer's exclusive lock refuses, in another process as
     * in this one (SingleFileStore.open, H2 2.4.240), so there is no reading beside a running instance.
     */
    static StateStore openForReading(Path dir) {
        return open(dir, true);
    }

    private static StateStore open(Path dir, boolean readOnly) {
        Path file = dir.resolve(FILE_NAME).toAbsolutePath();
        try {
            MVStore.Builder builder = new MVStore.Builder()
                    .fileName(file.toString())
                    .autoCommitDisabled();
            return new StateStore((readOnly ? builder.readOnly() : builder).open(), dir);
        } catch (MVStoreException e) {
            if (e.getErrorCode() == org.h2.mvstore.DataUtils.ERROR_FILE_LOCKED) {
                return null;
            }
            throw new StateException("state file " + file + " is damaged and was not opened (" + e.getMessage()
                    + "). Move it aside to start over: everything since the last checkpoint will be fetched and "
                    + "sent again; Sentinel updates indicators it already has");
        }
    }

    /** Where the state is, for the one line that tells an operator. */
    public String where() {
        return dir.toAbsolutePath().toString();
    }

    /** The workspace's rejected indicators, kept where its state is. */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /**
     * Whether this store still owns its workspace, so that an upload may start. A file store is
     * owned for as long as it is open: its file lock keeps any other instance out.
     */
    public boolean owned() {
        return usable();
    }

    /** The directory the store lives in, beside the files that belong to it. */
    Path dir() {
        return dir;
    }

    /** A read-only store cannot create a map: readers ask first. */
    boolean has(String name) {
        return store.hasMap(name);
    }

    protected void remove(String name) {
        store.removeMap(name);
    }

    protected <K, V> MVMap<K, V> map(String name) {
        return store.openMap(name);
    }

    /** The maps themselves, for a store that keeps them elsewhere as well. */
    protected final MVStore maps() {
        return store;
    }

    /**
     * Makes everything written so far durable against a process crash.
     *
     * @throws OwnershipLostException when another instance took the workspace: nothing was committed
     */
    protected void commit() {
        store.commit();
    }

    /** Also forces it to the disk, against power loss. */
    protected void commitAndSync() {
        store.commit();
        store.sync();
    }

    /** False once the store was closed, by us or by MVStore after a write it could not complete. */
    public boolean usable() {
        return !store.isClosed();
    }

    @Override
    public void close() {
        StateCaches.closed(store);
        if (!store.isClosed()) {
            store.close();
        }
    }
}
