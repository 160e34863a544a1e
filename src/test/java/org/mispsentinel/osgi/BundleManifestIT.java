package org.mispsentinel.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packaged bundle (failsafe: it exists only after the package phase). */
class BundleManifestIT {

    /** One clause of Import-Package: a package and its attributes up to the next top-level comma. */
    private static final Pattern CLAUSE = Pattern.compile("([\\w.]+)((?:;[^,\"]*(?:\"[^\"]*\")?)*)");

    private final List<String[]> imports = new ArrayList<>();
    private final List<String> entries = new ArrayList<>();
    private String implementationVersion;

    @BeforeEach
    void readBundle() throws Exception {
        try (JarFile jar = new JarFile(Path.of(System.getProperty("bundle.jar")).toFile())) {
            Matcher clause = CLAUSE.matcher(jar.getManifest().getMainAttributes().getValue("Import-Package"));
            while (clause.find()) {
                imports.add(new String[] {clause.group(1), clause.group(2)});
            }
            entries.addAll(Collections.list(jar.entries()).stream().map(entry -> entry.getName()).toList());
            implementationVersion = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
    }

    @Test
    void carriesTheVersionTheProductReports() {
        assertThat(implementationVersion).isEqualTo(org.mispsentinel.observe.BuildInfo.version())
                .isEqualTo(org.mispsentinel.VersionTest.pomVersion());
        assertThat(entries).contains("org/mispsentinel/build.properties");
    }

    @Test
    void importsNeitherCamelMainNorTheLauncherNorTheStandIns() {
        assertThat(imports).extracting(clause -> clause[0])
                .isNotEmpty()
                .noneMatch(name -> name.startsWith("org.apache.camel.main"))
                .noneMatch(name -> name.startsWith("org.mispsentinel"));
    }

    @Test
    void everyCamelImportCarriesTheDeclaredRange() {
        String range = "version=\"" + System.getProperty("camel.import.range") + "\"";

        assertThat(imports).filteredOn(clause -> clause[0].startsWith("org.apache.camel"))
                .isNotEmpty()
                .allSatisfy(clause -> assertThat(clause[1]).as(clause[0]).contains(range));
    }

    @Test
    void importsCamelKarafsOsgiGlueAndNoJdkInternalHttpServer() {
        assertThat(imports).extracting(clause -> clause[0])
                .contains("org.apache.camel.karaf.core", "org.osgi.framework")
                .doesNotContain("com.sun.net.httpserver");
    }

    @Test
    void containsTheRoutesAndTheProductButNothingOfCamelTheLauncherOrTheStandIns() {
        assertThat(entries).contains("routes/sync-cycle.camel.yaml", "application.properties",
                        "org/mispsentinel/osgi/MispSentinelComponent.class", "OSGI-INF/org.mispsentinel.osgi.MispSentinelComponent.xml")
                .noneMatch(name -> name.startsWith("org/apache/camel/"))
                .noneMatch(name -> name.startsWith("org/mispsentinel/launcher/"))
                .noneMatch(name -> name.startsWith("org/mispsentinel/standin/"));
    }
}
