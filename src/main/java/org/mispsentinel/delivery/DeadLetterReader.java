package org.mispsentinel.delivery;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entries of a dead-letter file, one at a time, so that a replay needs as little memory for a
 * file of a gigabyte as for one of a few lines. A line that does not parse (the torn end of a write
 * cut by kill -9 or a full disk) is skipped with a warning: it costs that one entry, not the replay.
 */
final class DeadLetterReader implements Iterator<PendingStix>, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReader.class);

    private final Path file;
    private final BufferedReader reader;
    private PendingStix next;
    private long lineNumber;
    /** Camel's split asks once more after the last entry; the reader is closed by then. */
    private boolean ended;

    DeadLetterReader(Path file) throws IOException {
        this.file = file;
        this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (ended) {
            return false;
        }
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    next = DeadLetters.pending(line);
                    return true;
                } catch (IOException | RuntimeException damaged) {
                    LOG.warn("dead-letter file {}: line {} is damaged (a write cut short) and is skipped", file, lineNumber);
                }
            }
            close();
            ended = true;
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("dead-letter file " + file + " cannot be read", e);
        }
    }

    @Override
    public PendingStix next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        PendingStix out = next;
        next = null;
        return out;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
