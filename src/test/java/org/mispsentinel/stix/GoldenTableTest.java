package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GoldenTableTest {

    @Test
    void everySupportedTypeInBothProfilesMapsToItsExactGoldenJson() throws IOException {
        List<GoldenTable.Row> rows = readRows();
        Set<String> covered = new HashSet<>();
        List<String> mismatches = new ArrayList<>();
        for (GoldenTable.Row row : rows) {
            StixMapper mapper = new StixMapper(GoldenTable.options(row.profile()));
            MappingResult result = mapper.map(GoldenTable.toAttribute(row.attribute()));
            JsonNode actual = GoldenTable.JSON.valueToTree(result.indicators());
            if (!actual.equals(row.indicators())) {
                mismatches.add(row.profile() + " " + row.attribute().path("type").asText()
                        + "\n  expected " + row.indicators() + "\n  actual   " + actual);
            }
            covered.add(row.profile() + " " + row.attribute().path("type").asText());
        }
        assertThat(mismatches).isEmpty();
        for (Profile profile : Profile.values()) {
            for (String type : StixMapper.supportedTypes(profile)) {
                assertThat(covered).as("golden row for %s in %s", type, profile).contains(profile + " " + type);
            }
        }
        System.out.println("golden rows checked: " + rows.size());
    }

    @Test
    void goldenSamplesCoverExactlyTheSupportedTypes() {
        assertThat(GoldenTable.SAMPLES.keySet())
                .containsExactlyInAnyOrderElementsOf(StixMapper.supportedTypes(Profile.SENTINEL));
        assertThat(StixMapper.supportedTypes(Profile.MISP_STIX)).isEqualTo(StixMapper.supportedTypes(Profile.SENTINEL));
    }

    private static List<GoldenTable.Row> readRows() throws IOException {
        List<GoldenTable.Row> rows = new ArrayList<>();
        try (InputStream in = GoldenTableTest.class.getResourceAsStream(GoldenTable.RESOURCE)) {
            assertThat(in).as("resource %s", GoldenTable.RESOURCE).isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = GoldenTable.JSON.readTree(line);
                rows.add(new GoldenTable.Row(node.path("profile").asText(), node.path("attribute"),
                        node.path("indicators")));
            }
        }
        return rows;
    }

    /**
     * Rewrites the table from the current mapper: {@code mvn test -Dtest=GoldenTableTest
     * -Dstix.golden.write=src/test/resources/stix/golden.jsonl}. Review the diff before committing.
     */
    @Test
    void regenerateWhenAsked() throws IOException {
        String target = System.getProperty("stix.golden.write");
        if (target == null) {
            return;
        }
        StringBuilder out = new StringBuilder();
        for (Profile profile : Profile.values()) {
            StixMapper mapper = new StixMapper(GoldenTable.options(profile.name()));
            GoldenTable.SAMPLES.forEach((type, value) -> {
                ObjectNode attribute = GoldenTable.sampleAttribute(type, value);
                MappingResult result = mapper.map(GoldenTable.toAttribute(attribute));
                ObjectNode row = GoldenTable.JSON.createObjectNode();
                row.put("profile", profile.name());
                row.set("attribute", attribute);
                row.set("indicators", GoldenTable.JSON.valueToTree(result.indicators()));
                if (result.skipped()) {
                    throw new AssertionError(type + " skipped: " + result);
                }
                out.append(row).append('\n');
            });
        }
        Files.writeString(Path.of(target), out.toString(), StandardCharsets.UTF_8);
    }
}
