package org.mispsentinel.delivery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.mispsentinel.stix.RawStixObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indicators Sentinel rejected, one JSON object per line in {@code STATE_DIR/dead-letters.jsonl},
 * with the reason. Lines are appended and forced to disk (the file's directory too, when the file is
 * new) before the batch counts as settled, so a rejected indicator is never only in memory.
 * {@code --replay-dead-letters} sends them again.
 */
public class DeadLetters {

    public static final String FILE_NAME = "dead-letters.jsonl";
    private static final String REPLAYING = "dead-letters.replaying.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final Path file;
    private final Path replaying;
    private DeadLetterReader reader;
    private boolean writeFailed;

    public DeadLetters(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
        this.replaying = stateDir.resolve(REPLAYING);
    }

    /**
     * One line of the file.
     *
     * @param attribute the attribute's stable key, so that a replay Sentinel accepts enters the
     *                  inventory; absent from lines written before it was kept
     */
    public record Entry(String time, String attributeUuid, String attributeKey, String attribute, String error,
                        JsonNode object) {
    }

    /**
     * Each rejected indicator as the JSON of one entry, marked refused.
     */
    protected static List<String> entries(List<PendingStix> rejected, List<String> errors) {
        String now = Instant.now().toString();
        List<String> out = new java.util.ArrayList<>(rejected.size());
        for (int i = 0; i < rejected.size(); i++) {
            PendingStix p = rejected.get(i);
            p.refused();
            try {
                out.add(JSON.writeValueAsString(new Entry(now, p.attributeUuid(), p.attributeKey(), p.attribute(),
                        errors.get(i), JSON.valueToTree(p.object()))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The indicator of an entry written by {@link #entries}, to be sent again. */
    protected static PendingStix pending(String entry) throws IOException {
        Entry e = JSON.readValue(entry, Entry.class);
        return new PendingStix(e.attributeKey(), e.attributeUuid(), e.attribute(), new RawStixObject(e.object()));
    }

    /** Where the entries are kept, for the log line that says so. */
    public String where() {
        return file.toString();
    }

    public synchronized void append(List<PendingStix> rejected, List<String> errors) {
        if (rejected.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (String entry : entries(rejected, errors)) {
            lines.append(entry).append('\n');
        }
        try {
            boolean created = !Files.exists(file);
            if (!created && endsTorn(file)) {
                // a write cut short left half a line: the next entry must not be glued to it
                lines.insert(0, '\n');
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(false);
            }
            if (created) {
                DurableFiles.syncDirectory(file.getParent());
            }
        } catch (IOException e) {
            // a replay's entries must then stay in the file it reads, or they would be lost
            writeFailed = true;
            throw new UncheckedIOException("dead-letter file " + file + " cannot be written", e);
        }
    }

    private static boolean endsTorn(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }

    /**
     * Takes every dead letter out for a replay, as a stream of entries. The file is renamed first and
     * deleted only by {@link #finishReplay()}, so a replay that dies half-way leaves its entries to
     * be picked up by the next one.
     */
    public synchronized Iterator<PendingStix> startReplay() {
        writeFailed = false;
        try {
            if (Files.exists(file)) {
                if (Files.exists(replaying)) {
                    appendFile(file, replaying);
                    Files.delete(file);
                } else {
                    Files.move(file, replaying, StandardCopyOption.ATOMIC_MOVE);
                }
                DurableFiles.syncDirectory(file.getParent());
            }
            if (!Files.exists(replaying)) {
                return Collections.emptyIterator();
            }
            reader = new DeadLetterReader(replaying);
            return reader;
        } catch (IOException e) {
            throw new UncheckedIOException("dead-letter file " + file + " cannot be read", e);
        }
    }

    /** Ends a replay: its input goes, unless writing what is still refused failed (then it is kept). */
    public synchronized void finishReplay() {
        try {
            if (reader != null) {
                reader.close();
                reader = null;
            }
            if (writeFailed) {
                LOG.error("dead-letter file {} could not be written during the replay; {} is kept for the next replay",
                        file, replaying);
                return;
            }
            Files.deleteIfExists(replaying);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file() {
        return file;
    }

    /** The entries waiting, a replay's unfinished input included. */
    public long count() {
        return count(file.getParent());
    }

    /**
     * The entries waiting in {@code stateDir}, a replay's unfinished input included; damaged lines do
     * not count. Reads only, so it can run beside the instance that appends to them.
     */
    static long count(Path stateDir) {
        long n = 0;
        for (Path path : List.of(stateDir.resolve(FILE_NAME), stateDir.resolve(REPLAYING))) {
            if (!Files.exists(path)) {
                continue;
            }
            try (DeadLetterReader entries = new DeadLetterReader(path)) {
                while (entries.hasNext()) {
                    entries.next();
                    n++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("dead-letter file " + path + " cannot be read", e);
            }
        }
        return n;
    }

    /** Streams {@code from} onto the end of {@code to}, on a line of its own, and forces it. */
    private static void appendFile(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            if (endsTorn(to)) {
                out.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
            long position = 0;
            long size = in.size();
            while (position < size) {
                position += in.transferTo(position, size - position, out);
            }
            out.force(false);
        }
    }
}
