package org.mispsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of README.md that is made from the code, between two markers, so that it cannot drift.
 * With {@code -DargLine=-Dreadme.write=true} the test that owns it rewrites it instead.
 */
public final class ReadmeSection {

    private ReadmeSection() {
    }

    public static void assertGenerated(String startMarker, String endMarker, String content) throws IOException {
        Path readme = Path.of("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("readme.write")) {
            int a = text.indexOf(startMarker);
            int b = text.indexOf(endMarker);
            assertThat(a).as("markers in README.md").isNotNegative().isLessThan(b);
            text = text.substring(0, a) + startMarker + content + text.substring(b);
            Files.writeString(readme, text, StandardCharsets.UTF_8);
        }
        assertThat(text).as("README section after %s (refresh with -DargLine=-Dreadme.write=true)", startMarker.trim())
                .contains(startMarker + content + endMarker);
    }
}
