package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StixIdsTest {

    @Test
    void nameBasedUuidMatchesTheRfc4122VersionFiveOfAKnownName() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        byte[] dns = StixIds.uuidBytes("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(StixIds.nameBasedV5(dns, "python.org")).isEqualTo("886313e1-3b8a-5372-9b90-0c9aee199e5d");
    }

    @Test
    void derivedIdsAreStableAndDifferPerAttributeAndPart() {
        String a = StixIds.derived(AttributeBuilder.UUID, "ip");
        assertThat(StixIds.derived(AttributeBuilder.UUID, "ip")).isEqualTo(a);
        Set<String> ids = new HashSet<>();
        ids.add(a);
        ids.add(StixIds.derived(AttributeBuilder.UUID, "domain"));
        ids.add(StixIds.derived(AttributeBuilder.UUID.toUpperCase(), "ip"));
        assertThat(ids).hasSize(3);
        assertThat(StixIds.isUuidShape(a)).isTrue();
    }

    @Test
    void uuidShapeAcceptsAnyCaseAndVersionButNothingElse() {
        assertThat(StixIds.isUuidShape("5F1E3A7C-2B4D-1E6F-0A9B-0C1D2E3F4A5B")).isTrue();
        assertThat(StixIds.isUuidShape("5f1e3a7c2b4d4e6f8a9b0c1d2e3f4a5b")).isFalse();
        assertThat(StixIds.isUuidShape("5f1e3a7c-2b4d-4e6f-8a9b-0c1d2e3f4a5")).isFalse();
        assertThat(StixIds.isUuidShape("5f1e3a7c_2b4d-4e6f-8a9b-0c1d2e3f4a5b")).isFalse();
        assertThat(StixIds.isUuidShape(null)).isFalse();
    }
}
