package org.mispsentinel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteValidationTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int validate(Path dir) {
        return Launcher.run(new String[] {"--validate-routes", dir.toString()}, new Properties(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** A copy of the shipped routes with {@code from} replaced by {@code to} in one file; answers its line. */
    private int seed(String file, String from, String to) throws IOException {
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path route : shipped.toList()) {
                Files.copy(route, temp.resolve(route.getFileName()));
            }
        }
        Path edited = temp.resolve(file);
        List<String> lines = Files.readAllLines(edited);
        int index = -1;
        for (int i = 0; i < lines.size() && index < 0; i++) {
            if (lines.get(i).contains(from)) {
                index = i;
                lines.set(i, lines.get(i).replace(from, to));
            }
        }
        assertThat(index).as("seeded " + from).isNotNegative();
        Files.write(edited, lines);
        return index + 1;
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shippedRoutesAreValidInOneLine() throws Exception {
        long shipped;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            shipped = files.filter(f -> f.toString().endsWith(".camel.yaml")).count();
        }
        assertThat(validate(Path.of("routes"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("routes valid: " + shipped + " files")
                .hasLineCount(1);
    }

    @Test
    void unknownStepIsReportedWithItsFileAndLine() throws Exception {
        int line = seed("sync-cycle.camel.yaml", "- filter:", "- fliter:");

        assertThat(validate(temp)).isEqualTo(1);
        assertThat(stderr()).contains("sync-cycle.camel.yaml:" + line + ":").contains("fliter");
    }

    @Test
    void unknownBeanIsReportedWithItsFileAndLine() throws Exception {
        int line = seed("sync-cycle.camel.yaml", "ref: uploads", "ref: uplaods");

        assertThat(validate(temp)).isEqualTo(1);
        assertThat(stderr()).contains("sync-cycle.camel.yaml:" + (line - 1) + ":").contains("uplaods");
    }

    @Test
    void unknownPlaceholderIsReportedWithItsFile() throws Exception {
        seed("sentinel-upload.camel.yaml", "{{sentinel.retry-delay-ms}}", "{{sentinel.retry-delay}}");

        assertThat(validate(temp)).isEqualTo(1);
        assertThat(stderr()).contains("sentinel-upload.camel.yaml:").contains("sentinel.retry-delay");
    }

    /** Without routes/ beside the classes a run loads the jar's own routes: those are the ones checked. */
    @Test
    void withoutADirectoryTheRoutesARunLoadsAreChecked() throws Exception {
        int exit = RouteValidation.run(java.util.Optional.empty(), SettingsSources.isolated(), new Properties(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("routes valid: ")
                .contains("routes inside the jar (there is no routes/ beside it)");
    }
}
