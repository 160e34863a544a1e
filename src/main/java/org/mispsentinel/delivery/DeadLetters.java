package org.mispsentinel.delivery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
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
import java.util.ArrayList;
import java.util.List;
import org.mispsentinel.stix.RawStixObject;

/**
 * Indicators Sentinel rejected, one JSON object per line in {@code STATE_DIR/dead-letters.jsonl},
 * with the reason. Lines are appended and forced to disk before the batch counts as settled, so a
 * rejected indicator is never only in memory. {@code --replay-dead-letters} sends them again.
 */
public final class DeadLetters {

    public static final String FILE_NAME = "dead-letters.jsonl";
    private static final String REPLAYING = "dead-letters.replaying.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;
    private final Path replaying;

    public DeadLetters(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
        this.replaying = stateDir.resolve(REPLAYING);
    }

    /** One line of the file. */
    public record Entry(String time, String attributeUuid, String attributeKey, String error, JsonNode object) {
    }

    public synchronized void append(List<PendingStix> rejected, List<String> errors) {
        if (rejected.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        String now = Instant.now().toString();
        for (int i = 0; i < rejected.size(); i++) {
            PendingStix p = rejected.get(i);
            try {
                lines.append(JSON.writeValueAsString(
                        new Entry(now, p.attributeUuid(), p.attributeKey(), errors.get(i), JSON.valueToTree(p.object()))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lines.append('\n');
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("dead-letter file " + file + " cannot be written", e);
        }
    }

    /**
     * Takes every dead letter out for a replay. The file is renamed first and deleted only by
     * {@link #finishReplay()}, so a replay that dies half-way leaves its entries to be picked up by
     * the next one.
     */
    public synchronized List<PendingStix> startReplay() {
        try {
            if (Files.exists(file)) {
                if (Files.exists(replaying)) {
                    appendFile(file, replaying);
                    Files.delete(file);
                } else {
                    Files.move(file, replaying, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            if (!Files.exists(replaying)) {
                return List.of();
            }
            List<PendingStix> out = new ArrayList<>();
            try (BufferedReader reader = Files.newBufferedReader(replaying, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank()) {
                        Entry e = JSON.readValue(line, Entry.class);
                        out.add(new PendingStix(e.attributeKey(), e.attributeUuid(), new RawStixObject(e.object())));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("dead-letter file " + file + " cannot be read", e);
        }
    }

    public synchronized void finishReplay() {
        try {
            Files.deleteIfExists(replaying);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file() {
        return file;
    }

    private static void appendFile(Path from, Path to) throws IOException {
        Files.write(to, Files.readAllBytes(from), StandardOpenOption.APPEND);
    }
}
