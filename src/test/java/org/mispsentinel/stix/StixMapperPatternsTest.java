package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mispsentinel.stix.AttributeBuilder.attribute;

import java.util.List;
import org.junit.jupiter.api.Test;

class StixMapperPatternsTest {

    private final StixMapper sentinel = new StixMapper(Fixtures.options(Profile.SENTINEL));
    private final StixMapper mispStix = new StixMapper(Fixtures.options(Profile.MISP_STIX));

    private static List<StixIndicator> ok(MappingResult r) {
        assertThat(r.skipped()).as("skipped: %s %s", r.skipReason(), r.detail()).isFalse();
        return r.indicators();
    }

    private static String pattern(StixMapper m, String type, String value) {
        List<StixIndicator> list = ok(m.map(attribute(type, value).build()));
        assertThat(list).hasSize(1);
        return list.get(0).pattern();
    }

    @Test
    void pairedDomainIpBecomesTwoIndicatorsWithDeterministicIds() {
        List<StixIndicator> first = ok(sentinel.map(attribute("domain|ip", "example.org|198.51.100.7").build()));
        List<StixIndicator> again = ok(sentinel.map(attribute("domain|ip", "example.org|198.51.100.7").build()));
        assertThat(first).hasSize(2);
        assertThat(first.get(0).id()).isEqualTo("indicator--" + AttributeBuilder.UUID);
        assertThat(first.get(0).pattern()).isEqualTo("[domain-name:value = 'example.org']");
        assertThat(first.get(1).pattern()).isEqualTo("[ipv4-addr:value = '198.51.100.7']");
        assertThat(first.get(1).id()).isEqualTo(again.get(1).id())
                .isEqualTo("indicator--" + StixIds.derived(AttributeBuilder.UUID, "ip"))
                .isNotEqualTo(first.get(0).id())
                .matches("indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(first).allSatisfy(i -> assertThat(i.name()).isEqualTo("domain|ip: example.org|198.51.100.7"));
        String otherUuid = "11111111-2222-4333-8444-555555555555";
        assertThat(ok(sentinel.map(attribute("domain|ip", "example.org|198.51.100.7").uuid(otherUuid).build())).get(1).id())
                .isNotEqualTo(first.get(1).id());
    }

    @Test
    void pairedDomainIpKeepsTheHalfThatHasNotExpired() {
        StixMapper m = new StixMapper(Fixtures.options().toBuilder().ttlDaysByKind(java.util.Map.of(IndicatorKind.IP, 7)).build());
        List<StixIndicator> list = ok(m.map(attribute("domain|ip", "example.org|198.51.100.7").build()));
        assertThat(list).singleElement().satisfies(i -> assertThat(i.pattern()).startsWith("[domain-name"));
    }

    @Test
    void sentinelProfileUsesOneComparisonAndKeepsTheDetectableHalfOfPairs() {
        assertThat(pattern(sentinel, "ip-dst", "198.51.100.0/24")).isEqualTo("[ipv4-addr:value = '198.51.100.0/24']");
        assertThat(pattern(sentinel, "ip-src", "2001:db8::/32")).isEqualTo("[ipv6-addr:value = '2001:db8::/32']");
        assertThat(pattern(sentinel, "filename|sha256", "a.exe|7fa3abc229fd3cb9a0a6f07d9da15e35528c630d0ad5902d5422b305cae7eaa4"))
                .isEqualTo("[file:hashes.'SHA-256' = '7fa3abc229fd3cb9a0a6f07d9da15e35528c630d0ad5902d5422b305cae7eaa4']");
        assertThat(pattern(sentinel, "ip-dst|port", "198.51.100.7|443")).isEqualTo("[ipv4-addr:value = '198.51.100.7']");
        assertThat(pattern(sentinel, "hostname|port", "c2.example.org|8443")).isEqualTo("[domain-name:value = 'c2.example.org']");
        assertThat(pattern(sentinel, "regkey|value", "HKLM\\Run|evil.exe")).isEqualTo("[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Run']");
        assertThat(pattern(sentinel, "email-src", "a@example.org")).isEqualTo("[email-addr:value = 'a@example.org']");
        assertThat(pattern(sentinel, "AS", "as64496")).isEqualTo("[autonomous-system:number = 64496]");
        assertThat(pattern(sentinel, "AS", "4294967295")).isEqualTo("[autonomous-system:number = 4294967295]");
    }

    @Test
    void mispStixProfileWritesTheExportersCompoundPatterns() {
        assertThat(pattern(mispStix, "ip-dst", "5.6.7.8"))
                .isEqualTo("[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '5.6.7.8']");
        assertThat(pattern(mispStix, "ip-src|port", "1.2.3.4|1234"))
                .isEqualTo("[network-traffic:src_ref.type = 'ipv4-addr' AND network-traffic:src_ref.value = '1.2.3.4'"
                        + " AND network-traffic:src_port = 1234]");
        assertThat(pattern(mispStix, "domain|ip", "circl.lu|149.13.33.14"))
                .isEqualTo("[domain-name:value = 'circl.lu' AND domain-name:resolves_to_refs[*].value = '149.13.33.14']");
        assertThat(pattern(mispStix, "filename|md5", "filename1|b2a5abfeef9e36964281a31e17b57c97"))
                .isEqualTo("[file:name = 'filename1' AND file:hashes.MD5 = 'b2a5abfeef9e36964281a31e17b57c97']");
        assertThat(pattern(mispStix, "email-dst", "dst@email.test")).isEqualTo("[email-message:to_refs[*].value = 'dst@email.test']");
        assertThat(pattern(mispStix, "email-src", "src@email.test")).isEqualTo("[email-message:from_ref.value = 'src@email.test']");
        assertThat(pattern(mispStix, "regkey|value", "HKLM\\Software\\mthjk|%DATA%\\1234567890"))
                .isEqualTo("[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\mthjk'"
                        + " AND windows-registry-key:values[*].data = '%DATA%\\\\1234567890']");
        assertThat(pattern(mispStix, "regkey|value", "HKLM\\Software\\mthjk|"))
                .isEqualTo("[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\mthjk']");
        assertThat(pattern(mispStix, "domain", "circl.lu")).isEqualTo("[domain-name:value = 'circl.lu']");
    }

    @Test
    void everyStixPatternOfEveryProfileParsesWithTheChecker() {
        for (StixMapper m : List.of(sentinel, mispStix)) {
            GoldenTable.SAMPLES.forEach((type, value) -> {
                for (StixIndicator i : ok(m.map(attribute(type, value).build()))) {
                    if (i.patternType().equals("stix")) {
                        StixPatternChecker.parse(i.pattern());
                    }
                }
            });
        }
    }

    @Test
    void hashPathSegmentsAreQuotedOnlyWhenNotPlainIdentifiers() {
        assertThat(HashAlgorithm.MD5.pathSegment()).isEqualTo("MD5");
        assertThat(HashAlgorithm.SHA256.pathSegment()).isEqualTo("'SHA-256'");
        assertThat(HashAlgorithm.SHA3_512.pathSegment()).isEqualTo("'SHA3-512'");
        assertThat(HashAlgorithm.SSDEEP.pathSegment()).isEqualTo("SSDEEP");
        assertThat(pattern(sentinel, "x509-fingerprint-sha1", "46aba99aa7158e4609aaa72b50990842fd22ae86"))
                .isEqualTo("[x509-certificate:hashes.'SHA-1' = '46aba99aa7158e4609aaa72b50990842fd22ae86']");
    }

    @Test
    void macAddressIsWrittenInTheLowerCaseColonFormStixRequires() {
        assertThat(pattern(sentinel, "mac-address", "00-00-5E-00-53-01")).isEqualTo("[mac-addr:value = '00:00:5e:00:53:01']");
    }

    @Test
    void escapingDoublesBackslashesBeforeEscapingQuotes() {
        assertThat(StixLiterals.string("a\\'b")).isEqualTo("'a\\\\\\'b'");
        assertThat(StixLiterals.string("\\")).isEqualTo("'\\\\'");
        assertThat(StixLiterals.string("'")).isEqualTo("'\\''");
        assertThat(StixLiterals.string("plain")).isEqualTo("'plain'");
        assertThat(pattern(sentinel, "mutex", "Global\\x")).isEqualTo("[mutex:name = 'Global\\\\x']");
    }
}
