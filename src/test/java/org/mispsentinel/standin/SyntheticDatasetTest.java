package org.mispsentinel.standin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {

    private static final List<SearchFilters.OrderKey> ASCENDING = List.of(
            new SearchFilters.OrderKey("Attribute.timestamp", false), new SearchFilters.OrderKey("Attribute.id", false));

    private static final Set<String> NON_INDICATORS = Set.of("comment", "text", "link", "vulnerability");

    private static List<ObjectNode> all(SyntheticDataset dataset, SearchFilters query) {
        return dataset.page(query, 0, Integer.MAX_VALUE).toList();
    }

    @Test
    void givesTheSameAttributesForTheSameSeed() {
        SyntheticDataset one = new SyntheticDataset(42, 5_000);
        SyntheticDataset two = new SyntheticDataset(42, 5_000);

        assertThat(all(one, SearchFilters.all())).isEqualTo(all(two, SearchFilters.all()));
    }

    @Test
    void withThreatContextTheSameAttributesComeWithTheirCreatorAndGalaxiesOnSomeEvents() {
        SyntheticDataset plain = new SyntheticDataset(4, 5_000);
        SyntheticDataset context = plain.withThreatContext();
        long techniques = 0;
        long actors = 0;
        for (long id = 1; id <= 5_000; id += SyntheticDataset.PER_EVENT) {
            ObjectNode a = context.attribute(id);
            assertThat(a.path("value")).isEqualTo(plain.attribute(id).path("value"));
            assertThat(a.path("Event").path("Orgc").path("uuid").asText()).hasSize(36);
            String tags = a.path("Tag").toString();
            techniques += tags.contains("misp-galaxy:mitre-attack-pattern=") ? 1 : 0;
            actors += tags.contains("misp-galaxy:mitre-intrusion-set=") ? 1 : 0;
            assertThat(plain.attribute(id).path("Tag").toString()).doesNotContain("misp-galaxy");
        }
        // 100 events: a technique on about half, an actor on about one in six
        assertThat(techniques).isBetween(35L, 65L);
        assertThat(actors).isBetween(7L, 28L);
    }

    @Test
    void givesDifferentAttributesForAnotherSeed() {
        assertThat(new SyntheticDataset(1, 100).attribute(7)).isNotEqualTo(new SyntheticDataset(2, 100).attribute(7));
    }

    @Test
    void mixesTheUsualMispTypesWithAboutTwoThirdsMarkedForDetection() {
        List<ObjectNode> attributes = all(new SyntheticDataset(3, 20_000), SearchFilters.all());
        Map<String, Integer> types = new HashMap<>();
        attributes.forEach(a -> types.merge(a.path("type").asText(), 1, Integer::sum));
        long toIds = attributes.stream().filter(a -> a.path("to_ids").asBoolean()).count();

        assertThat(types.keySet()).contains("ip-dst", "ip-src", "domain", "hostname", "url", "md5", "sha1", "sha256",
                "filename|sha256", "filename|md5", "domain|ip", "ip-dst|port", "email-src", "email-subject", "mutex",
                "regkey", "AS", "comment", "text", "link", "vulnerability");
        assertThat(toIds).isEqualTo(13_000);
        assertThat(attributes).filteredOn(a -> NON_INDICATORS.contains(a.path("type").asText()))
                .allSatisfy(a -> assertThat(a.path("to_ids").asBoolean()).isFalse());
        assertThat(attributes).anySatisfy(a -> assertThat(a.path("Tag").toString()).contains("tlp:green"));
        assertThat(attributes).anySatisfy(a -> assertThat(a.path("Tag").toString()).contains("tlp:amber"));
        assertThat(attributes).anySatisfy(a -> assertThat(a.path("Tag").toString()).contains("misp:confidence-level"));
        assertThat(attributes).anySatisfy(a -> assertThat(a.path("object_id").asText()).isNotEqualTo("0"));
        assertThat(attributes).anySatisfy(a -> assertThat(a.path("first_seen").isTextual()).isTrue());
    }

    @Test
    void keepsValuesInDocumentationRanges() {
        List<ObjectNode> attributes = all(new SyntheticDataset(5, 5_000), SearchFilters.all());

        for (ObjectNode attribute : attributes) {
            String type = attribute.path("type").asText();
            String value = attribute.path("value").asText();
            switch (type) {
                case "ip-dst", "ip-src" -> assertThat(value).matches("(198\\.51\\.100|203\\.0\\.113)\\.\\d+|2001:db8:.*");
                case "domain", "hostname" -> assertThat(value).matches(".*\\.example\\.(org|com|net)");
                case "url", "link" -> assertThat(value).matches("https://[^/]*\\.example\\.(org|com|net)/.*");
                case "domain|ip" -> assertThat(value).matches(".*\\.example\\.(org|com|net)\\|(198\\.51\\.100|203\\.0\\.113)\\.\\d+");
                case "ip-dst|port" -> assertThat(value).matches("(198\\.51\\.100|203\\.0\\.113)\\.\\d+\\|\\d+");
                case "email-src" -> assertThat(value).matches(".*@example\\.(org|com|net)");
                case "AS" -> assertThat(Integer.parseInt(value.substring(2))).isBetween(64_496, 64_511);
                case "sha256" -> assertThat(value).matches("[0-9a-f]{64}");
                case "md5" -> assertThat(value).matches("[0-9a-f]{32}");
                default -> { }
            }
        }
    }

    @Test
    void increasesTimestampsWithId() {
        List<Long> timestamps = all(new SyntheticDataset(9, 2_000), SearchFilters.all().withOrder(ASCENDING)).stream()
                .map(a -> a.path("timestamp").asLong()).toList();

        assertThat(timestamps).isSorted();
        assertThat(timestamps.get(0)).isEqualTo(SyntheticDataset.DEFAULT_START_EPOCH_SECONDS);
        assertThat(timestamps.get(timestamps.size() - 1)).isGreaterThan(timestamps.get(0));
    }

    @Test
    void answersInDescendingIdOrderWithoutAnOrderSoThatNoClientCanLeanOnIt() {
        List<Long> ids = all(new SyntheticDataset(9, 500), SearchFilters.all()).stream()
                .map(a -> a.path("id").asLong()).toList();
        List<Long> tail = new SyntheticDataset(9, 500).page(SearchFilters.all(), 490, 20)
                .map(a -> a.path("id").asLong()).toList();

        assertThat(ids).hasSize(500).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(tail).containsExactly(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
    }

    @Test
    void countsAndPagesUnderFiltersAgreeWithAFullScan() {
        SyntheticDataset dataset = new SyntheticDataset(11, 997);
        List<ObjectNode> everything = LongStream.rangeClosed(1, 997).mapToObj(dataset::attribute).toList();
        long start = SyntheticDataset.DEFAULT_START_EPOCH_SECONDS;
        List<SearchFilters> queries = List.of(
                SearchFilters.all(), SearchFilters.since(start + 600), SearchFilters.since(start + 601),
                SearchFilters.since(start + 600).withToIds(true), SearchFilters.since(start + 601).withToIds(false),
                SearchFilters.all().withAttributeTimestamp(new SearchFilters.Range(start + 59, start + 6_000)).withToIds(true),
                SearchFilters.all().withAttributeTimestamp(new SearchFilters.Range(start + 120, start + 120))
                        .withDeleted(SearchFilters.Deleted.BOTH),
                SearchFilters.since(start + 10_000_000), SearchFilters.all().withDeleted(SearchFilters.Deleted.ONLY));

        for (SearchFilters query : queries) {
            List<String> expected = everything.stream()
                    .filter(a -> query.matchesAttribute(a.path("timestamp").asLong(), a.path("to_ids").asBoolean(),
                            a.path("deleted").asBoolean()))
                    .map(a -> a.path("id").asText()).toList();
            assertThat(dataset.size(query)).as("size of %s", query).isEqualTo(expected.size());
            for (int offset : new int[] {0, 1, 13, 77, 400}) {
                List<String> page = dataset.page(query.withOrder(ASCENDING), offset, 50).map(a -> a.path("id").asText()).toList();
                List<String> slice = expected.subList(Math.min(offset, expected.size()),
                        Math.min(offset + 50, expected.size()));
                assertThat(page).as("page at %d of %s", offset, query).isEqualTo(slice);
            }
        }
    }

    @Test
    void answersTheLastPageOfAMillionWithoutScanning() {
        SyntheticDataset dataset = new SyntheticDataset(1, 1_000_000);
        SearchFilters detection = SearchFilters.all().withToIds(true);

        assertThat(dataset.size(SearchFilters.all())).isEqualTo(1_000_000);
        assertThat(dataset.size(detection)).isEqualTo(650_000);
        List<ObjectNode> tail = dataset.page(detection.withOrder(ASCENDING), 649_990, 100).toList();
        assertThat(tail).hasSize(10).allSatisfy(a -> assertThat(a.path("to_ids").asBoolean()).isTrue());
        assertThat(tail.get(9).path("id").asLong()).isLessThanOrEqualTo(1_000_000);
        assertThat(tail.stream().map(a -> a.path("uuid").asText()).collect(Collectors.toSet())).hasSize(10);
    }
}
