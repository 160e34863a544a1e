package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.standin.MispAttributes;

class DecayScoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private static MispAttributes.Builder scored(String value, double... scores) throws Exception {
        StringBuilder models = new StringBuilder("[");
        for (int i = 0; i < scores.length; i++) {
            models.append(i == 0 ? "" : ",").append("{\"score\":").append(scores[i])
                    .append(",\"decayed\":false,\"DecayingModel\":{\"id\":\"").append(i + 1).append("\"}}");
        }
        return MispAttributes.attribute("domain", value).toIds(true).timestamp(Attributes.T0)
                .field("decay_score", JSON.readTree(models.append(']').toString()));
    }

    @Test
    void decayScoreBecomesConfidenceUnlessAConfidenceTagSaysOtherwise() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.include-decay-score", "true");
            h.dataset.add(scored("scored.example.org", 41.6, 72.4).uuid("00000000-0000-4000-8000-000000000001"));
            h.dataset.add(scored("tagged.example.org", 90).uuid("00000000-0000-4000-8000-000000000002")
                    .tag("misp:confidence-level=\"rarely-confident\""));

            h.runCycle();

            assertThat(h.standIns.misp().lastRequest().path("includeDecayScore").asBoolean()).isTrue();
            assertThat(h.standIns.sentinel().acceptedObject("indicator--00000000-0000-4000-8000-000000000001")
                    .orElseThrow().path("confidence").asInt()).isEqualTo(72);
            assertThat(h.standIns.sentinel().acceptedObject("indicator--00000000-0000-4000-8000-000000000002")
                    .orElseThrow().path("confidence").asInt()).isEqualTo(25);
        }
    }

    @Test
    void excludeDecayedAsksMispToDropDecayedAttributes() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.exclude-decayed", "true");

            h.runCycle();

            assertThat(h.standIns.misp().lastRequest().path("excludeDecayed").asBoolean()).isTrue();
            assertThat(h.standIns.misp().lastRequest().path("includeDecayScore").asBoolean()).isTrue();
        }
    }
}
