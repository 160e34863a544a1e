package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispTag;

class ConfidenceTest {

    private static Integer confidence(MappingOptions options, Double decayScore, String... tags) {
        MispAttribute a = new MispAttribute("5f1e3a7c-2b4d-4e6f-8a9b-0c1d2e3f4a5b", "domain", "Network activity",
                "example.org", true, false, 1_700_000_000L, null, null, null, "1", null, null, null, null, "0", null,
                null, java.util.Arrays.stream(tags).map(t -> new MispTag(t, false)).toList(), decayScore);
        return new StixMapper(options).map(a).indicators().get(0).confidence();
    }

    @Test
    void confidenceTagWinsOverDecayScoreAndDefault() {
        MappingOptions withDefault = MappingOptions.defaults().toBuilder().defaultConfidence(60).build();

        assertThat(confidence(withDefault, 88.0, "misp:confidence-level=\"fairly-confident\"")).isEqualTo(50);
    }

    @Test
    void decayScoreRoundedWinsOverTheDefault() {
        MappingOptions withDefault = MappingOptions.defaults().toBuilder().defaultConfidence(60).build();

        assertThat(confidence(withDefault, 72.5)).isEqualTo(73);
    }

    @Test
    void withoutTagScoreOrDefaultConfidenceIsLeftOut() {
        assertThat(confidence(MappingOptions.defaults(), null)).isNull();
        assertThat(confidence(MappingOptions.defaults().toBuilder().defaultConfidence(40).build(), null)).isEqualTo(40);
    }
}
