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
 * same directory fail fast.
 */
public final class StateStore implements AutoCloseable {

    public static final String FILE_NAME = "misp-sentinel.mv.db";

    private final MVStore store;

    private StateStore(MVStore store) {
        this.store = store;
    }

    public static StateStore open(Path dir) {
        Path file = dir.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StateException("state directory " + dir.toAbsolutePath() + " cannot be created: " + e.getMessage());
        }
        try {
            MVStore store = new MVStore.Builder()
                    .fileName(file.toString())
                    .autoCommitDisabled()
                    .cacheSize(32)
                    .open();
            return new StateStore(store);
        } catch (MVStoreException e) {
            if (e.getErrorCode() == org.h2.mvstore.DataUtils.ERROR_FILE_LOCKED) {
                throw new StateException("state file " + file + " is locked: another misp-sentinel is running with "
                        + "the same STATE_DIR; stop it or give this one its own STATE_DIR");
            }
            throw new StateException("state file " + file + " is damaged and was not opened (" + e.getMessage()
                    + "). Move it aside to start over: everything since the last checkpoint will be fetched and "
                    + "sent again; Sentinel updates indicators it already has");
        }
    }

    <K, V> MVMap<K, V> map(String name) {
        return store.openMap(name);
    }

    /** Makes everything written so far durable against a process crash. */
    void commit() {
        store.commit();
    }

    /** Also forces it to the disk, against power loss. */
    void commitAndSync() {
        store.commit();
        store.sync();
    }

    /** False once the store was closed, by us or by MVStore after a write it could not complete. */
    public boolean usable() {
        return !store.isClosed();
    }

    @Override
    public void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }
}
