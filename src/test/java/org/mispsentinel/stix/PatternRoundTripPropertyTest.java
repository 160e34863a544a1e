package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mispsentinel.stix.AttributeBuilder.attribute;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random values full of quotes, backslashes and non-Latin text must survive the trip into a
 * pattern and back out through the independent checker. Failures print the seed and case number;
 * rerun with {@code -Dstix.seed=<seed>} to reproduce.
 */
class PatternRoundTripPropertyTest {

    private static final int CASES = 10_000;
    private static final long SEED = Long.getLong("stix.seed", 20_231_114L);

    /** Pieces that stress escaping and encoding: quotes, backslashes, RTL marks, emoji, CJK, combining. */
    private static final String[] PIECES = {"'", "\\", "\\'", "''", "\\\\", "a", "Z", "0", " ", ".", "|", "%", "/",
        "\u200f", "\u202e", "\u200e", "\u05e9\u05dc\u05d5\u05dd", "\u0627\u0644", "\ud83d\ude00", "\ud83c\udff4\u200d\u2620\ufe0f",
        "\u4e2d\u6587", "\u65e5\u672c", "\ud840\udc0b", "e\u0301", "\u00df", "]", "[", " AND ", " OR ", "=", "\"", "$", "*"};

    static String randomText(Random r) {
        int pieces = 1 + r.nextInt(12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            b.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return b.toString();
    }

    private record Case(String type, String prefix, String path) {
    }

    private static final List<Case> TEXT_TYPES = List.of(
            new Case("filename", "", "file:name"),
            new Case("mutex", "Global\\", "mutex:name"),
            new Case("regkey", "HKEY_LOCAL_MACHINE\\", "windows-registry-key:key"),
            new Case("email-subject", "", "email-message:subject"),
            new Case("url", "https://example.org/", "url:value"),
            new Case("user-agent", "Mozilla/5.0 ", "network-traffic:extensions.http-request-ext.request_header.User-Agent"));

    @Test
    void everyTextValueRoundTripsThroughItsPatternInBothProfiles() {
        int checked = 0;
        for (Profile profile : Profile.values()) {
            StixMapper mapper = new StixMapper(Fixtures.options(profile));
            Random random = new Random(SEED + profile.ordinal());
            for (int n = 0; n < CASES; n++) {
                Case c = TEXT_TYPES.get(n % TEXT_TYPES.size());
                String value = c.prefix() + randomText(random);
                if (value.isBlank()) {
                    value = value + "x"; // blank values are skipped as missing, tested elsewhere
                }
                MappingResult result = mapper.map(attribute(c.type(), value).build());
                String ctx = "seed " + SEED + " profile " + profile + " case " + n + " type " + c.type() + " value " + value;
                assertThat(result.skipped()).as(ctx).isFalse();
                StixPatternChecker.Comparison cmp = StixPatternChecker.parse(result.indicators().get(0).pattern()).single();
                assertThat(cmp.value()).as(ctx).isEqualTo(value);
                assertThat(String.join(".", cmp.path()).replace(".[", "[")).as(ctx)
                        .isEqualTo(c.path().substring(c.path().indexOf(':') + 1));
                checked++;
            }
        }
        System.out.println("text round trips checked: " + checked + " (seed " + SEED + ")");
        assertThat(checked).isEqualTo(2 * CASES);
    }

    @Test
    void bothHalvesOfPairedTextValuesRoundTripInTheMispStixProfile() {
        StixMapper mapper = new StixMapper(Fixtures.options(Profile.MISP_STIX));
        Random random = new Random(SEED ^ 0x5eed);
        int checked = 0;
        for (int n = 0; n < CASES; n++) {
            String name;
            do {
                name = randomText(random);
            } while (name.isBlank());
            String key = "HKEY_LOCAL_MACHINE\\" + randomText(random).replace("|", "/");
            String data = randomText(random);
            String sha = "7fa3abc229fd3cb9a0a6f07d9da15e35528c630d0ad5902d5422b305cae7eaa4";
            String ctx = "seed " + SEED + " case " + n;

            List<StixPatternChecker.Comparison> file = StixPatternChecker.parse(
                    mapper.map(attribute("filename|sha256", name + "|" + sha).build()).indicators().get(0).pattern()).comparisons();
            assertThat(file.get(0).value()).as(ctx).isEqualTo(name);
            assertThat(file.get(1).value()).as(ctx).isEqualTo(sha);

            List<StixPatternChecker.Comparison> reg = StixPatternChecker.parse(
                    mapper.map(attribute("regkey|value", key + "|" + data).build()).indicators().get(0).pattern()).comparisons();
            assertThat(reg.get(0).value()).as(ctx).isEqualTo(key);
            assertThat(reg.get(1).value()).as(ctx).isEqualTo(data);
            checked++;
        }
        System.out.println("paired round trips checked: " + checked + " (seed " + SEED + ")");
    }

    @Test
    void randomIpv4AndIpv6AddressesAreAcceptedAndReadBackUnchanged() {
        Random random = new Random(SEED + 7);
        StixMapper mapper = new StixMapper(Fixtures.options());
        for (int n = 0; n < CASES; n++) {
            String ip;
            if (random.nextBoolean()) {
                ip = random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
            } else {
                StringBuilder b = new StringBuilder();
                for (int g = 0; g < 8; g++) {
                    b.append(g == 0 ? "" : ":").append(Integer.toHexString(random.nextInt(65536)));
                }
                ip = b.toString();
                if (random.nextBoolean()) {
                    ip = compress(ip);
                }
            }
            MappingResult r = mapper.map(attribute("ip-dst", ip).build());
            assertThat(r.skipped()).as("seed %d case %d ip %s: %s", SEED, n, ip, r.detail()).isFalse();
            assertThat(StixPatternChecker.parse(r.indicators().get(0).pattern()).single().value()).isEqualTo(ip);
        }
    }

    /** Replaces the first run of ":0:" groups with "::", as address printers do. */
    private static String compress(String ip) {
        String padded = ":" + ip + ":";
        int at = padded.indexOf(":0:");
        if (at < 0) {
            return ip;
        }
        int end = at + 2;
        while (padded.startsWith("0:", end + 1)) {
            end += 2;
        }
        String out = padded.substring(0, at) + "::" + padded.substring(end + 1);
        out = out.substring(1, out.length() - 1);
        if (out.startsWith(":") && !out.startsWith("::")) {
            out = ":" + out;
        }
        if (out.endsWith(":") && !out.endsWith("::")) {
            out = out + ":";
        }
        return out;
    }

    @Test
    void timestampsMatchJavaTimeForRandomInstants() {
        Random random = new Random(SEED + 11);
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        for (int n = 0; n < CASES; n++) {
            long millis = StixTimes.MIN_MILLIS + (long) (random.nextDouble() * (StixTimes.MAX_MILLIS - StixTimes.MIN_MILLIS));
            assertThat(StixTimes.format(millis)).as("seed %d millis %d", SEED, millis)
                    .isEqualTo(f.format(java.time.Instant.ofEpochMilli(millis)));
        }
        assertThat(StixTimes.format(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(StixTimes.format(StixTimes.MAX_MILLIS)).isEqualTo("9999-12-31T23:59:59.999Z");
        assertThat(StixTimes.format(StixTimes.MIN_MILLIS)).isEqualTo("0001-01-01T00:00:00.000Z");
    }

    @Test
    void everyTextMemberOfAMispObjectRoundTripsThroughTheObjectsOnePattern() {
        StixMapper mapper = new StixMapper(Fixtures.options(Profile.MISP_STIX));
        Random random = new Random(SEED ^ 0x0b7e);
        int checked = 0;
        for (int n = 0; n < CASES; n++) {
            String key = "HKEY_LOCAL_MACHINE\\" + randomText(random);
            String name = randomText(random) + "n";
            String data = randomText(random) + "d";
            var members = ObjectSamples.members("registry-key", ObjectSamples.m("key", "regkey", key, true),
                    ObjectSamples.m("name", "text", name, true), ObjectSamples.m("data", "text", data, true));
            var object = ObjectSamples.object("registry-key", "misc", members);
            MappingResult result = mapper.map(members.get(n % 3).withObject(object));
            String ctx = "seed " + SEED + " case " + n + " key " + key + " name " + name + " data " + data;
            assertThat(result.wholeObject()).as(ctx).isTrue();
            List<StixPatternChecker.Comparison> comparisons =
                    StixPatternChecker.parse(result.indicators().get(0).pattern()).comparisons();
            assertThat(comparisons).as(ctx).extracting(StixPatternChecker.Comparison::pathText, StixPatternChecker.Comparison::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("windows-registry-key:key", key),
                            org.assertj.core.groups.Tuple.tuple("windows-registry-key:values[*].name", name),
                            org.assertj.core.groups.Tuple.tuple("windows-registry-key:values[*].data", data));
            checked++;
        }
        System.out.println("object round trips checked: " + checked + " (seed " + SEED + ")");
        assertThat(checked).isEqualTo(CASES);
    }
}
