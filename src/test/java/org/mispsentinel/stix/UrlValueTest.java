package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mispsentinel.stix.AttributeBuilder.attribute;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mispsentinel.misp.MispAttribute;

/**
 * MISP's url attributes hold URLs, and also host names, file names and paths; each shape met in
 * real events has its own outcome here, in both profiles.
 */
class UrlValueTest {

    private static MappingResult map(Profile profile, String type, String value) {
        return new StixMapper(Fixtures.options(profile)).map(attribute(type, value).build());
    }

    private static String pattern(Profile profile, String value) {
        MappingResult result = map(profile, "url", value);
        assertThat(result.skipped()).as(value + ": " + result.detail()).isFalse();
        return result.indicators().get(0).pattern();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://downloads.example.net:8080/a/B0C1D2.bin", "https://example.org",
        "http://203.0.113.9:7001/x/loader.dll", "https://abcdefghij234567.onion.example/", "ftp://files.example.org/x",
        "HTTP://EXAMPLE.ORG/", "svn+ssh://repo.example.org/trunk"})
    void aValueWithASchemeIsAUrl(String url) {
        for (Profile profile : Profile.values()) {
            assertThat(pattern(profile, url)).isEqualTo(Patterns.single("url:value", url));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcdefghij234567.onion", "www.example.top", "cdn.example.com.", "b\u00fccher.example",
        "release.zip", "setup.com"})
    void aBareHostNameIsADomainNameEvenWhenItsTopLevelDomainLooksLikeAFileExtension(String host) {
        for (Profile profile : Profile.values()) {
            MappingResult result = map(profile, "url", host);

            assertThat(pattern(profile, host)).isEqualTo("[domain-name:value = '" + host + "']");
            assertThat(result.indicators().get(0).id()).isEqualTo("indicator--" + AttributeBuilder.UUID);
            assertThat(result.indicators().get(0).name()).isEqualTo("url: " + host);
        }
    }

    @ParameterizedTest
    @CsvSource({"198.51.100.23,ipv4-addr", "2001:db8::5,ipv6-addr"})
    void aBareIpAddressIsAnIpAddress(String ip, String objectType) {
        for (Profile profile : Profile.values()) {
            assertThat(pattern(profile, ip)).isEqualTo("[" + objectType + ":value = '" + ip + "']");
        }
    }

    @ParameterizedTest
    @CsvSource({"svchost32.exe,exe", "loader.DLL,dll", "stage2.ps1,ps1", "notes.txt,txt", "invoice.pdf.js,js"})
    void aFileNameIsNotAUrlThoughItIsSpelledLikeAHostName(String name, String extension) {
        for (Profile profile : Profile.values()) {
            MappingResult result = map(profile, "url", name);

            assertThat(result.skipReason()).isEqualTo(SkipReasons.NOT_A_URL);
            assertThat(result.detail()).isEqualTo("a file name (." + extension + "), not a URL");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Data/cache.bin", "/admin/panel.php", "C:\\Users\\Public\\a.exe",
        "www.example.org/files/a.txt"})
    void aPathOrAnAddressWithoutItsSchemeIsNotAUrl(String value) {
        for (Profile profile : Profile.values()) {
            MappingResult result = map(profile, "url", value);

            assertThat(result.skipReason()).isEqualTo(SkipReasons.NOT_A_URL);
            assertThat(result.detail()).isEqualTo("no scheme: a path, or an address whose scheme cannot be told");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "198.51.100;neither a URL (scheme://...) nor a host name",
        "example.org:8080;neither a URL (scheme://...) nor a host name",
        "localhost;neither a URL (scheme://...) nor a host name",
        "two words;neither a URL (scheme://...) nor a host name",
        "http://;no scheme before '://', or nothing after it",
        "://example.org;no scheme before '://', or nothing after it",
        "1http://example.org;no scheme before '://', or nothing after it"})
    void aValueThatIsNeitherAUrlNorAHostIsSkippedWithWhatIsWrong(String value, String detail) {
        MappingResult result = map(Profile.SENTINEL, "url", value);

        assertThat(result.skipReason()).isEqualTo(SkipReasons.NOT_A_URL);
        assertThat(result.detail()).isEqualTo(detail);
    }

    @Test
    void aLinkForDetectionFollowsTheSameRuleAndSoDoesAUri() {
        MappingResult link = new StixMapper(Fixtures.options())
                .map(attribute("link", "www.example.top").toIds(true).build());

        assertThat(link.indicators().get(0).pattern()).isEqualTo("[domain-name:value = 'www.example.top']");
        assertThat(map(Profile.SENTINEL, "link", "igfx.exe").skipReason()).isEqualTo(SkipReasons.NOT_A_URL);
        assertThat(pattern(Profile.SENTINEL, "https://example.org/a")).isEqualTo("[url:value = 'https://example.org/a']");
        assertThat(map(Profile.SENTINEL, "uri", "https://example.org/wp-login.php").indicators().get(0).pattern())
                .isEqualTo("[url:value = 'https://example.org/wp-login.php']");
    }

    /** STIX 2.1 section 6.15: url:value "MUST conform to RFC3986"; a bare path is a relative reference, no URL. */
    @Test
    void aUriThatIsABarePathIsSkippedAsNoUrlInBothProfiles() {
        for (Profile profile : Profile.values()) {
            MappingResult path = map(profile, "uri", "/wp-admin/x.php");

            assertThat(path.indicators()).as("%s", profile).isEmpty();
            assertThat(path.skipReason()).isEqualTo(SkipReasons.NOT_A_URL);
            assertThat(path.detail()).contains("path");
        }
    }

    @Test
    void aUrlObjectsMemberThatIsNoUrlIsLeftOutOfTheObjectsPattern() {
        List<MispAttribute> members = ObjectSamples.members("url", ObjectSamples.m("url", "url", "https://example.org/a", true),
                ObjectSamples.m("url", "url", "www.example.top", true));
        var object = ObjectSamples.object("url", "network", members);
        StixMapper mispStix = new StixMapper(Fixtures.options(Profile.MISP_STIX));

        assertThat(mispStix.map(members.get(0).withObject(object)).indicators().get(0).pattern())
                .isEqualTo("[url:value = 'https://example.org/a']");
        MappingResult host = mispStix.map(members.get(1).withObject(object));
        assertThat(host.skipReason()).isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(host.detail()).isEqualTo("url of url object: a host name, not a URL");
    }
}
