package org.mispsentinel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.mispsentinel.VersionTest;

/** The packaged runnable jar (failsafe: it exists only after the package phase). */
class RunnableJarIT {

    private static final Path JAR = Path.of(System.getProperty("runnable.jar", "target/misp-sentinel.jar"));

    @Test
    void manifestCarriesTheVersion() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version"))
                    .isEqualTo(VersionTest.pomVersion());
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Title")).isEqualTo("misp-sentinel");
        }
    }

    @Test
    void versionOptionPrintsTheVersionFromTheJarAndExitsZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-jar", JAR.toString(), "--version").redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out).startsWith("misp-sentinel " + VersionTest.pomVersion() + " (Apache Camel 4.");
    }
}
