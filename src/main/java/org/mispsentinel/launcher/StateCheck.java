package org.mispsentinel.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mispsentinel.delivery.StateException;
import org.mispsentinel.delivery.StateStore;

/**
 * Whether a run can use a state directory: there, or creatable under a writable parent; writable;
 * its store file held by no running instance, and opening (not damaged). Nothing is created: a
 * missing directory or store is what a first run makes.
 */
final class StateCheck {

    private StateCheck() {
    }

    /** @return what was found @throws StateException what keeps a run from using it */
    static String check(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            Path parent = abs.getParent();
            while (parent != null && !Files.exists(parent)) {
                parent = parent.getParent();
            }
            if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
                throw new StateException("state directory " + abs + " does not exist and cannot be created: "
                        + (parent == null ? "no parent directory exists" : parent + " is not a writable directory"));
            }
            return abs + " does not exist yet; the first run creates it (" + parent + " is writable)";
        }
        if (!Files.isDirectory(abs)) {
            throw new StateException("state directory " + abs + " is not a directory");
        }
        requireWritable(abs);
        if (!Files.exists(abs.resolve(StateStore.FILE_NAME))) {
            return abs + " is writable; no state store yet (the first run starts one)";
        }
        // the same open a run makes: it fails on a lock held by a running instance and on a damaged file
        StateStore.open(abs).close();
        return abs + " is writable; its state store opens and no running instance holds it";
    }

    /** Asked of the file system itself: permission bits do not tell a read-only mount or a full quota. */
    private static void requireWritable(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, ".check-", ".tmp"));
        } catch (IOException e) {
            throw new StateException("state directory " + dir + " is not writable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }
}
