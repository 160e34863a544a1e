package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mispsentinel.stix.AttributeBuilder.attribute;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispObject;

/** An attribute mapped as a refresh: what Sentinel holds, valid again for its TTL from now. */
class RefreshMappingTest {

    private static final Instant LATER = Instant.parse("2024-03-01T12:00:00Z");

    private static StixMapper mapper(Profile profile) {
        return new StixMapper(Fixtures.options(profile).toBuilder().defaultTtlDays(90)
                .ttlDaysByKind(Map.of(IndicatorKind.IP, 30, IndicatorKind.FILE_HASH, 0)).build());
    }

    @Test
    void sameIndicatorWithModifiedNowAndValidUntilNowPlusItsKindsTtl() {
        MispAttribute pair = attribute("domain|ip", "example.org|198.51.100.7")
                .firstSeen(Instant.parse("2023-12-15T00:00:00Z")).build();
        List<StixIndicator> made = mapper(Profile.SENTINEL).map(pair).indicators();

        List<StixIndicator> refreshed = mapper(Profile.SENTINEL).refresh(pair, LATER).indicators();

        assertThat(refreshed).hasSize(2);
        for (int i = 0; i < 2; i++) {
            StixIndicator before = made.get(i);
            StixIndicator after = refreshed.get(i);
            assertThat(after.id()).isEqualTo(before.id());
            assertThat(after.pattern()).isEqualTo(before.pattern());
            assertThat(after.created()).isEqualTo(before.created());
            assertThat(after.validFrom()).isEqualTo("2023-12-15T00:00:00.000Z").isEqualTo(before.validFrom());
            assertThat(after.modified()).isEqualTo("2024-03-01T12:00:00.000Z");
            assertThat(after.revoked()).isNull();
        }
        assertThat(refreshed.get(0).validUntil()).as("domain, 90 days").isEqualTo("2024-05-30T12:00:00.000Z");
        assertThat(refreshed.get(1).validUntil()).as("ip, 30 days").isEqualTo("2024-03-31T12:00:00.000Z");
    }

    @Test
    void anIndicatorThatWouldHaveExpiredAsMadeIsValidAgainFromTheRefresh() {
        MispAttribute ip = attribute("ip-dst", "198.51.100.7").build();
        StixMapper mapper = mapper(Profile.SENTINEL);

        assertThat(mapper.map(ip).skipReason()).isEqualTo(SkipReasons.EXPIRED);
        assertThat(mapper.refresh(ip, LATER).indicators()).singleElement()
                .satisfies(i -> assertThat(i.validUntil()).isEqualTo("2024-03-31T12:00:00.000Z"));
    }

    @Test
    void aKindWithoutTtlKeepsTheValidUntilAMappingGivesIt() {
        MispAttribute hash = attribute("md5", "b2a5abfeef9e36964281a31e17b57c97").build();

        StixIndicator refreshed = mapper(Profile.SENTINEL).refresh(hash, LATER).indicators().get(0);

        assertThat(refreshed.validUntil()).isNull();
        assertThat(refreshed.modified()).isEqualTo("2024-03-01T12:00:00.000Z");
    }

    @Test
    void modifiedIsNeverBeforeCreated() {
        MispAttribute future = attribute("domain", "example.org").timestamp(LATER.getEpochSecond() + 3600).build();

        StixIndicator refreshed = mapper(Profile.SENTINEL).refresh(future, LATER).indicators().get(0);

        assertThat(refreshed.modified()).isEqualTo(refreshed.created());
    }

    @Test
    void anObjectsIndicatorIsRefreshedWhole() {
        List<MispAttribute> members = ObjectSamples.members("file",
                ObjectSamples.m("md5", "md5", ObjectSamples.MD5, true),
                ObjectSamples.m("sha1", "sha1", ObjectSamples.SHA1, true));
        MispObject object = ObjectSamples.object("file", "file", members);
        MispAttribute member = members.get(0).withObject(object);
        StixIndicator made = mapper(Profile.MISP_STIX).map(member).indicators().get(0);

        MappingResult refreshed = mapper(Profile.MISP_STIX).refresh(member, LATER);

        assertThat(refreshed.wholeObject()).isTrue();
        StixIndicator after = refreshed.indicators().get(0);
        assertThat(after.id()).isEqualTo(made.id()).isEqualTo("indicator--" + ObjectSamples.OBJECT_UUID);
        assertThat(after.pattern()).isEqualTo(made.pattern());
        assertThat(after.validFrom()).isEqualTo(made.validFrom());
        assertThat(after.modified()).isEqualTo("2024-03-01T12:00:00.000Z");
        assertThat(after.validUntil()).as("file hashes have no TTL here").isEqualTo(made.validUntil());
    }
}
