package org.mispsentinel.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** {@code --dry-run}: the indicators that would be uploaded, as JSON lines, to a file or stdout. */
public final class DryRunOutput {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String target;

    /** @param target a file path, or {@code -} for standard output */
    public DryRunOutput(String target) {
        this.target = target;
    }

    public synchronized void write(List<PendingStix> batch) {
        StringBuilder lines = new StringBuilder(batch.size() * 900);
        try {
            for (PendingStix p : batch) {
                lines.append(JSON.writeValueAsString(p.object())).append('\n');
            }
            byte[] bytes = lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (target.equals("-")) {
                System.out.write(bytes);
                System.out.flush();
            } else {
                try (OutputStream out = Files.newOutputStream(Path.of(target), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("dry-run output " + target + " cannot be written", e);
        }
    }
}
