package org.mispsentinel.misp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MispAttributeKeysTest {

    private static final String UUID = "5f1e3a7c-2b4d-4e6f-8a9b-0c1d2e3f4a5b";

    private static MispAttribute attribute(String eventId, long timestamp, boolean deleted) {
        return new MispAttribute(UUID, "domain", "Network activity", "example.org", true, deleted, timestamp, null,
                null, "", eventId, null, null, null, null, "0", null, null, List.of());
    }

    @Test
    void deliveryKeyChangesWithEveryChangeInMispAndSortsByTime() {
        assertThat(attribute("42", 1_700_000_000L, false).deliveryKey()).startsWith("001700000000/" + UUID + "/");
        assertThat(attribute("42", 1_700_000_060L, true).deliveryKey()).startsWith("001700000060/" + UUID + "/");
        assertThat(attribute("42", 1_700_000_000L, false).deliveryKey())
                .isEqualTo(attribute("42", 1_700_000_000L, false).deliveryKey());
    }

    @Test
    void deliveryKeyChangesWithWhatMispChangesAroundTheAttributeWithoutTouchingItsTimestamp() {
        MispAttribute plain = attribute("42", 1_700_000_000L, false);
        MispAttribute tagged = new MispAttribute(UUID, "domain", "Network activity", "example.org", true, false,
                1_700_000_000L, null, null, "", "42", null, null, null, null, "0", null, null,
                List.of(new MispTag("tlp:red", true)));
        MispAttribute renamedEvent = new MispAttribute(UUID, "domain", "Network activity", "example.org", true, false,
                1_700_000_000L, null, null, "", "42", null, "New title", null, null, "0", null, null, List.of());
        MispAttribute inObject = new MispAttribute(UUID, "domain", "Network activity", "example.org", true, false,
                1_700_000_000L, null, null, "", "42", null, null, null, null, "7", null, "domain", List.of());

        assertThat(List.of(tagged.deliveryKey(), renamedEvent.deliveryKey(), inObject.deliveryKey()))
                .doesNotContain(plain.deliveryKey()).doesNotHaveDuplicates();
    }

    @Test
    void stableKeyStaysThroughChangesAndSortsByEvent() {
        assertThat(attribute("42", 1_700_000_000L, false).stableKey())
                .isEqualTo(attribute("42", 1_700_000_060L, true).stableKey())
                .isEqualTo("000000000042/" + UUID);
        assertThat(attribute(null, 1_700_000_000L, false).stableKey()).isEqualTo("000000000000/" + UUID);
    }
}
