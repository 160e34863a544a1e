package org.mispsentinel.delivery;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A forced file is durable only once its directory entry is too: after a power loss a new or
 * renamed file can otherwise be missing although its content was forced.
 */
final class DurableFiles {

    private DurableFiles() {
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.toAbsolutePath(), StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // platforms that cannot open a directory (Windows) make entries durable with the file
        }
    }
}
