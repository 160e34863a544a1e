package org.mispsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of a documentation page that is made from the code, between two markers, so that it cannot
 * drift. With {@code -DargLine=-Ddocs.write=true} the test that owns it rewrites it instead.
 */
public final class GeneratedSection {

    private GeneratedSection() {
    }

    public static void assertGenerated(Path page, String startMarker, String endMarker, String content) throws IOException {
        String text = Files.readString(page, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("docs.write")) {
            int a = text.indexOf(startMarker);
            int b = text.indexOf(endMarker);
            assertThat(a).as("markers in %s", page).isNotNegative().isLessThan(b);
            text = text.substring(0, a) + startMarker + content + text.substring(b);
            Files.writeString(page, text, StandardCharsets.UTF_8);
        }
        assertThat(text).as("%s after %s (refresh with -DargLine=-Ddocs.write=true)", page, startMarker.trim())
                .contains(startMarker + content + endMarker);
    }
}
