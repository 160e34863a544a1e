package org.mispsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DocumentationTest {

    private static Set<String> settingKeys() throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        }
        Set<String> keys = new TreeSet<>(p.stringPropertyNames());
        keys.removeIf(k -> k.startsWith("camel."));
        return keys;
    }

    @Test
    void readmeSettingsTableListsExactlyTheSettingsOfApplicationProperties() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher rows = Pattern.compile("(?m)^\\| `([a-z0-9.-]+)` \\| `([A-Z0-9_]+)` \\|").matcher(readme);
        Set<String> documented = new TreeSet<>();
        while (rows.find()) {
            documented.add(rows.group(1));
            assertThat(rows.group(2)).isEqualTo(rows.group(1).toUpperCase().replace('.', '_').replace('-', '_'));
        }

        assertThat(documented).isEqualTo(settingKeys());
    }

    @Test
    void exampleSettingsFileIsTheOneInsideTheJar() throws Exception {
        assertThat(Files.readString(Path.of("application.properties.example")))
                .isEqualTo(Files.readString(Path.of("src/main/resources/application.properties")));
    }

    @Test
    void everyPlaceholderInTheRoutesIsADocumentedSetting() throws Exception {
        Set<String> keys = settingKeys();
        Set<String> used = new TreeSet<>();
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Matcher m = Pattern.compile("\\{\\{([^}:]+)}}").matcher(Files.readString(file));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }

        assertThat(used).isNotEmpty();
        assertThat(keys).containsAll(used);
    }
}
