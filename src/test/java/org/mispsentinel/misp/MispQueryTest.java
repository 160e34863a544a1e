package org.mispsentinel.misp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mispsentinel.config.Settings;

/** The restSearch body a refresh asks MISP with. */
class MispQueryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> values = new HashMap<>(Map.of(
            "misp.url", "https://misp.example.org",
            "misp.api-key", "k",
            "misp.page-size", "250",
            "misp.tags-include", "tlp:green",
            "misp.types-exclude", "md5",
            "misp.include-decay-score", "true",
            "dry-run.enabled", "true"));

    private MispQuery query() {
        return new MispQuery(Settings.load(key -> Optional.ofNullable(values.get(key))).misp(), true);
    }

    @Test
    void uuidsAreAskedForUnderEveryFilterOfACycleButItsWindowAndPagedAlike() throws Exception {
        JsonNode body = JSON.readTree(query().byUuids(List.of("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d",
                "5f1e3a7c-2b4d-4e6f-8a9b-0c1d2e3f4a5b"), 2));
        // a first run without lookback: the filters of a cycle with no window at all
        JsonNode cycle = JSON.readTree(query().page(ReadPass.PUBLISHED, -1, -1, -1, 2));

        assertThat(body.path("uuid")).hasSize(2);
        assertThat(body.path("uuid").get(1).asText()).isEqualTo("5f1e3a7c-2b4d-4e6f-8a9b-0c1d2e3f4a5b");
        ObjectNode rest = ((ObjectNode) body.deepCopy());
        rest.remove("uuid");
        assertThat(rest).isEqualTo(cycle);
        assertThat(body.path("page").asInt()).isEqualTo(2);
        assertThat(body.path("limit").asInt()).isEqualTo(250);
        assertThat(body.path("published").asBoolean()).isTrue();
        assertThat(body.path("to_ids").asBoolean()).isTrue();
        assertThat(body.path("deleted").toString()).isEqualTo("[0,1]");
        assertThat(body.has("publish_timestamp")).isFalse();
        assertThat(body.has("timestamp")).isFalse();
    }
}
