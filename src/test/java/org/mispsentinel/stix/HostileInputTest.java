package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mispsentinel.stix.AttributeBuilder.attribute;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispTag;

class HostileInputTest {

    private static final long SEED = Long.getLong("stix.seed", 20_231_114L);
    private static final Set<String> REASONS = Set.of(SkipReasons.DELETED, SkipReasons.NOT_A_PATTERN,
            SkipReasons.RULE_SKIPPED, SkipReasons.MISSING_VALUE, SkipReasons.VALUE_TOO_LONG, SkipReasons.INVALID_VALUE,
            SkipReasons.EXPIRED, SkipReasons.NOT_A_URL);
    private final StixMapper mapper = new StixMapper(Fixtures.options());

    @Test
    void nullAttributeAndAllNullFieldsEndAsSkipsNotExceptions() {
        assertThat(mapper.map(null).skipReason()).isEqualTo(SkipReasons.INVALID_VALUE);
        MispAttribute empty = new MispAttribute(null, null, null, null, false, false, 0, null, null, null, null, null,
                null, null, null, null, null, null, null);
        assertThat(mapper.map(empty).skipReason()).isEqualTo(SkipReasons.NOT_A_PATTERN);
        for (String type : StixMapper.supportedTypes(Profile.SENTINEL)) {
            MispAttribute a = new MispAttribute(null, type, null, null, true, false, 0, null, null, null, null, null,
                    null, null, null, null, null, null, null);
            assertThat(mapper.map(a).skipReason()).as(type).isEqualTo(SkipReasons.INVALID_VALUE);
        }
    }

    @Test
    void onlyTheValueAndUuidAreNeededTheRestMayBeNull() {
        MispAttribute a = new MispAttribute(AttributeBuilder.UUID, "domain", null, "example.org", false, false,
                AttributeBuilder.TIMESTAMP, null, null, null, null, null, null, null, null, null, null, null,
                List.of(new MispTag(null, true), new MispTag("", false), new MispTag("  ", false)));
        MappingResult r = mapper.map(a);
        assertThat(r.skipped()).isFalse();
        StixIndicator i = r.indicators().get(0);
        assertThat(i.labels()).containsExactly("misp:type=\"domain\"");
        assertThat(i.description()).isNull();
        assertThat(i.killChainPhases()).isNull();
        assertThat(i.externalReferences()).isNull();
    }

    @Test
    void aOneMegabyteValueIsTooLongForEveryType() {
        String huge = "a".repeat(1 << 20);
        for (String type : StixMapper.supportedTypes(Profile.SENTINEL)) {
            assertThat(mapper.map(attribute(type, huge).build()).skipReason()).as(type).isEqualTo(SkipReasons.VALUE_TOO_LONG);
        }
    }

    @Test
    void badUuidsTimestampsAndInstantsAreInvalidValues() {
        assertThat(mapper.map(attribute("domain", "example.org").uuid("not-a-uuid").build()).skipReason())
                .isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(mapper.map(attribute("domain", "example.org").uuid("5f1e3a7c-2b4d-4e6f-8a9b-0c1d2e3f4a5g").build())
                .skipReason()).isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(mapper.map(attribute("domain", "example.org").timestamp(-1).build()).skipReason())
                .isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(mapper.map(attribute("domain", "example.org").timestamp(Long.MAX_VALUE).build()).skipReason())
                .isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(mapper.map(attribute("domain", "example.org").firstSeen(Instant.MAX).build()).skipReason())
                .isEqualTo(SkipReasons.INVALID_VALUE);
        StixMapper lastSeen = new StixMapper(Fixtures.options().toBuilder().useLastSeen(true).build());
        assertThat(lastSeen.map(attribute("domain", "example.org").lastSeen(Instant.MAX).build()).indicators().get(0)
                .validUntil()).isEqualTo("9999-12-31T23:59:59.999Z");
        assertThat(lastSeen.map(attribute("domain", "example.org").lastSeen(Instant.MIN).build()).skipReason())
                .isEqualTo(SkipReasons.EXPIRED);
    }

    @Test
    void unpairedSurrogatesInFreeTextAreReplacedSoSerialisationCannotFail() throws Exception {
        MappingResult r = mapper.map(attribute("domain", "example.org").comment("bad \ud800 comment")
                .category("Net\udfffwork").tag("tag\ud800").object("3", "obj\ud800", "rel").build());
        assertThat(r.skipped()).isFalse();
        String json = new ObjectMapper().writeValueAsString(r.indicators());
        assertThat(json).contains("bad \uFFFD comment").contains("tag\uFFFD").doesNotContain("\ud800");
    }

    @Test
    void randomGarbageInEveryFieldNeverThrowsAndAlwaysSerialises() throws Exception {
        Random random = new Random(SEED);
        List<String> types = new ArrayList<>(StixMapper.supportedTypes(Profile.SENTINEL));
        types.add("comment");
        types.add(null);
        ObjectMapper json = new ObjectMapper();
        int produced = 0;
        int skipped = 0;
        for (Profile profile : Profile.values()) {
            StixMapper m = new StixMapper(Fixtures.options(profile).toBuilder().defaultTtlDays(random.nextInt(3) * 365).build());
            for (int n = 0; n < 10_000; n++) {
                String type = types.get(random.nextInt(types.size()));
                List<MispTag> tags = new ArrayList<>();
                for (int t = random.nextInt(4); t > 0; t--) {
                    tags.add(new MispTag(garbage(random), random.nextBoolean()));
                }
                MispAttribute a = new MispAttribute(random.nextInt(4) == 0 ? garbage(random) : AttributeBuilder.UUID,
                        type, garbage(random), garbage(random), random.nextBoolean(), random.nextInt(20) == 0,
                        random.nextInt(10) == 0 ? random.nextLong() : AttributeBuilder.TIMESTAMP + random.nextInt(100_000_000),
                        random.nextInt(5) == 0 ? Instant.ofEpochSecond(random.nextInt()) : null,
                        random.nextInt(5) == 0 ? Instant.ofEpochSecond(random.nextInt()) : null,
                        garbage(random), garbage(random), random.nextBoolean() ? AttributeBuilder.EVENT_UUID : garbage(random),
                        garbage(random), garbage(random), garbage(random), garbage(random), garbage(random), garbage(random), tags);
                MappingResult[] result = new MappingResult[1];
                assertThatCode(() -> result[0] = m.map(a)).as("seed %d case %d", SEED, n).doesNotThrowAnyException();
                if (result[0].skipped()) {
                    assertThat(REASONS).as("seed %d case %d: %s", SEED, n, result[0].detail()).contains(result[0].skipReason());
                    assertThat(result[0].detail()).doesNotStartWith("mapper failure");
                    skipped++;
                } else {
                    json.writeValueAsString(result[0].indicators());
                    for (StixIndicator i : result[0].indicators()) {
                        if (i.patternType().equals("stix")) {
                            StixPatternChecker.parse(i.pattern());
                        }
                    }
                    produced++;
                }
            }
        }
        System.out.println("garbage attributes: " + produced + " mapped, " + skipped + " skipped (seed " + SEED + ")");
        assertThat(produced).isPositive();
    }

    private static final String[] GARBAGE = {null, "", " ", "\u0000", "\n", "'", "\\", "|", "||", "example.org",
        "198.51.100.7", "::1", "443", "AS1", "a@b.c", "b2a5abfeef9e36964281a31e17b57c97", "\ud800", "\udfff",
        "\ud83d\ude00", "\u202e", "tlp:red", "misp:confidence-level=\"unconfident\"", "0", "-", "%s", "${jndi:x}"};

    private static String garbage(Random random) {
        int parts = random.nextInt(4);
        if (parts == 0) {
            return GARBAGE[random.nextInt(GARBAGE.length)];
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            String g = GARBAGE[random.nextInt(GARBAGE.length)];
            b.append(g == null ? "" : g);
        }
        return b.toString();
    }
}
