package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mispsentinel.stix.AttributeBuilder.attribute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueValidationTest {

    private final StixMapper mapper = new StixMapper(Fixtures.options());

    private MappingResult map(String type, String value) {
        return mapper.map(attribute(type, value).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "0.0.0.0", "255.255.255.255", "10.0.0.0/8", "0.0.0.0/0", "192.0.2.1/32",
        "::", "::1", "2001:db8::", "2001:db8:0:0:0:0:2:1", "fe80::1:2:3:4:5", "::ffff:192.0.2.1",
        "1:2:3:4:5:6:1.2.3.4", "2001:db8::/32", "::/0", "2001:DB8::1/128"})
    void acceptsIpAddressesAndCidrBlocks(String ip) {
        assertThat(IpAddresses.check(ip)).as(ip).isNull();
        assertThat(map("ip-dst", ip).skipped()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/01",
        "1.2.3.4/-1", "1..3.4", "a.b.c.d", "1.2.3.4 ", "example.org", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::",
        "::g", ":1:2", "1:2:3:4:5:6:7:", "2001:db8::/129", "fe80::1%eth0", "1:2:3:4:5:6:7:1.2.3.4",
        "::ffff:1.2.3", "\uff11.2.3.4", "::/", "2001:db8::/0032"})
    void rejectsMalformedIpAddresses(String ip) {
        MappingResult r = map("ip-src", ip);
        assertThat(r.skipReason()).as(ip).isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(r.detail()).isNotBlank();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "md5;b2a5abfeef9e36964281a31e17b57c9",
        "md5;b2a5abfeef9e36964281a31e17b57c977",
        "md5;g2a5abfeef9e36964281a31e17b57c97",
        "sha1;2920d5e6c579fce772e5506caf03af65579088b",
        "sha256;7fa3abc229fd3cb9a0a6f07d9da15e35528c630d0ad5902d5422b305cae7eaa",
        "sha512;28c9409e",
        "sha3-256;xyz",
        "imphash;68f013d7437aa653a8a98a05807afeb1aa",
        "x509-fingerprint-sha1;46:ab:a9:9a:a7:15:8e:46:09:aa:a7:2b:50:99:08:42:fd:22:ae:86",
        "ssdeep;96-QRWk",
        "ssdeep;x:abc:def",
        "ssdeep;96::abc",
        "ssdeep;96:ab!c:def",
        "tlsh;c325af62",
        "tlsh;z325af62e2f15cf7c32316389d1b57a46827be703d3879866bf52c385f396813829297",
        "filename|md5;a.exe|123",
        "filename|md5;|b2a5abfeef9e36964281a31e17b57c97",
        "filename|sha1;no-bar-here"})
    void rejectsHashesOfTheWrongLengthOrAlphabet(String type, String value) {
        assertThat(map(type, value).skipReason()).as(type + " " + value).isEqualTo(SkipReasons.INVALID_VALUE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"ssdeep;3:a:", "tlsh;T1c325af62e2f15cf7c32316389d1b57a46827be703d3879866bf52c385f396813829297",
        "md5;B2A5ABFEEF9E36964281A31E17B57C97"})
    void acceptsTheLessCommonHashShapes(String type, String value) {
        assertThat(map(type, value).skipped()).as(type + " " + value).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "a.b.c.example.org", "xn--bcher-kva.example", "bücher.example",
        "例え.テスト", "_dmarc.example.org", "example.org.", "a-b.example", "1.example.com"})
    void acceptsDomainsIncludingIdnsAndUnderscores(String domain) {
        assertThat(map("domain", domain).skipped()).as(domain).isFalse();
        assertThat(map("hostname", domain).skipped()).as(domain).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example..org", ".example.org", "-a.example.org", "a-.example.org",
        "exa mple.org", "example.org/path", "1.2.3.4", "a@b.org", "example.org..", "ex\u2028ample.org", "e\u00a0x.org"})
    void rejectsMalformedDomains(String domain) {
        assertThat(map("domain", domain).skipReason()).as(domain).isEqualTo(SkipReasons.INVALID_VALUE);
    }

    @Test
    void rejectsDomainsBeyondDnsLengthLimits() {
        assertThat(map("domain", "a".repeat(64) + ".org").detail()).contains("63");
        assertThat(map("domain", ("a".repeat(60) + ".").repeat(5) + "org").detail()).contains("253");
        assertThat(map("domain", "a".repeat(63) + ".org").skipped()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-at-sign", "@example.org", "a@", "a@b@c", "a b@example.org"})
    void rejectsEmailAddressesWithoutExactlyOneAtAndTwoParts(String email) {
        for (String type : new String[] {"email", "email-src", "email-dst"}) {
            assertThat(map(type, email).skipReason()).as(type + " " + email).isEqualTo(SkipReasons.INVALID_VALUE);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"ip-dst|port;198.51.100.7|65536", "ip-src|port;198.51.100.7|-1",
        "ip-dst|port;198.51.100.7|", "ip-dst|port;198.51.100.7|http", "hostname|port;example.org|99999",
        "hostname|port;example.org", "ip-dst|port;999.1.1.1|80", "domain|ip;example.org|1.2.3", "domain|ip;nodot|1.2.3.4",
        "domain|ip;example.org", "regkey|value;|data"})
    void rejectsPairedValuesWithABadHalf(String type, String value) {
        assertThat(map(type, value).skipReason()).as(type + " " + value).isEqualTo(SkipReasons.INVALID_VALUE);
    }

    @Test
    void acceptsPortsAtBothEndsOfTheirRange() {
        assertThat(map("ip-dst|port", "198.51.100.7|0").skipped()).isFalse();
        assertThat(map("ip-dst|port", "198.51.100.7|65535").skipped()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AS", "ASx", "-1", "4294967296", "AS 64496", "64496.5", "99999999999999999999999"})
    void rejectsAsNumbersOutsideTheUnsigned32BitRange(String as) {
        assertThat(map("AS", as).skipReason()).as(as).isEqualTo(SkipReasons.INVALID_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00:00:5e:00:53", "00:00:5e:00:53:0g", "00:00-5e:00:53:01", "0000.5e00.5301"})
    void rejectsMalformedMacAddresses(String mac) {
        assertThat(map("mac-address", mac).skipReason()).as(mac).isEqualTo(SkipReasons.INVALID_VALUE);
    }

    @Test
    void rejectsControlCharactersInObservables() {
        for (String v : new String[] {"a\u0000b", "line\nbreak", "bell\u0007", "del\u007f", "c1\u0085"}) {
            MappingResult r = map("url", "https://example.org/" + v);
            assertThat(r.skipReason()).isEqualTo(SkipReasons.INVALID_VALUE);
            assertThat(r.detail()).startsWith("control character");
        }
    }

    @Test
    void rejectsUnpairedSurrogatesBecauseJsonCannotCarryThem() {
        assertThat(map("filename", "a\ud800b").skipReason()).isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(map("filename", "a\udc00").skipReason()).isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(map("yara", "rule \ud800").skipReason()).isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(map("filename", "emoji \ud83d\ude00").skipped()).isFalse();
    }

    @Test
    void emptyOrBlankValuesAreMissing() {
        assertThat(map("domain", "").skipReason()).isEqualTo(SkipReasons.MISSING_VALUE);
        assertThat(map("domain", "   ").skipReason()).isEqualTo(SkipReasons.MISSING_VALUE);
        assertThat(map("domain", null).skipReason()).isEqualTo(SkipReasons.MISSING_VALUE);
    }

    @Test
    void valuesLongerThanTheLimitAreTooLong() {
        String url = "https://example.org/" + "a".repeat(4096);
        assertThat(map("url", url).skipReason()).isEqualTo(SkipReasons.VALUE_TOO_LONG);
        assertThat(new StixMapper(Fixtures.options().toBuilder().maxValueLength(10_000).build()).map(attribute("url", url).build()).skipped())
                .isFalse();
        assertThat(map("url", "https://example.org/" + "a".repeat(4096 - 20)).skipped()).isFalse();
    }

    @Test
    void aBlankUriIsInvalidButAnyOtherTextWithoutControlCharactersIsAUriReference() {
        assertThat(ValueChecks.checkUri(" ")).isNotNull();
        assertThat(ValueChecks.checkUri("/a b/c")).isNull();
        assertThat(map("uri", "https://example.org/a b/c").skipped()).isFalse();
    }
}
