package org.mispsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mispsentinel.observe.BuildInfo;

/** The version the product reports is the one the build gave it, not a constant that drifts. */
public class VersionTest {

    private static final Pattern PROJECT_VERSION = Pattern.compile(
            "<artifactId>misp-sentinel</artifactId>\\s*<version>([^<]+)</version>");

    /** The project's own version in pom.xml. */
    public static String pomVersion() {
        try {
            Matcher m = PROJECT_VERSION.matcher(Files.readString(Path.of("pom.xml")));
            assertThat(m.find()).as("project version in pom.xml").isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theProductReportsThePomsVersionAndTheCamelItRunsOn() {
        assertThat(BuildInfo.version()).isEqualTo(pomVersion());
        assertThat(BuildInfo.camelVersion()).isEqualTo(org.apache.camel.CamelContext.class.getPackage()
                .getImplementationVersion()).matches("4\\.\\d+\\.\\d+.*");
        assertThat(BuildInfo.line()).isEqualTo("misp-sentinel " + pomVersion() + " (Apache Camel "
                + BuildInfo.camelVersion() + ")");
    }
}
