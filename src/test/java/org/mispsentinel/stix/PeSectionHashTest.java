package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispObject;

/** A pe-section's hash is the hash of a section, and STIX has a place for exactly that. */
class PeSectionHashTest {

    private static final String SECTION_MD5 = "0f343b0931126a20f133d67c2b018a3b";

    /** A pe-section object with a name, a size and the given hash member, as MISP builds them. */
    private static MispAttribute sectionMember(String type, String value) {
        List<MispAttribute> members = ObjectSamples.members("pe-section",
                ObjectSamples.m("name", "text", ".text", false), ObjectSamples.m("size-in-bytes", "size-in-bytes", "3072", false),
                ObjectSamples.m(type, type, value, true));
        MispObject object = ObjectSamples.object("pe-section", "file", members);
        return members.get(2).withObject(object);
    }

    private static MappingResult map(Profile profile, MispAttribute attribute) {
        return new StixMapper(Fixtures.options(profile)).map(attribute);
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void aSectionHashGoesUnderTheSectionsOfTheWindowsPeBinaryExtensionInBothProfiles(Profile profile) {
        StixIndicator indicator = map(profile, sectionMember("md5", SECTION_MD5)).indicators().get(0);

        assertThat(indicator.pattern())
                .isEqualTo("[file:extensions.'windows-pebinary-ext'.sections[*].hashes.MD5 = '" + SECTION_MD5 + "']");
        StixPatternChecker.Comparison comparison = StixPatternChecker.parse(indicator.pattern()).single();
        assertThat(comparison.path()).containsExactly("extensions", "windows-pebinary-ext", "sections", "[*]", "hashes", "MD5");
        assertThat(comparison.value()).isEqualTo(SECTION_MD5);
        assertThat(indicator.name()).isEqualTo("md5: " + SECTION_MD5 + " (object pe-section, relation md5)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(quoteCharacter = '"', value = {
        "sha1,'SHA-1',46aba99aa7158e4609aaa72b50990842fd22ae86",
        "sha256,'SHA-256',ec5aedf5ecc6bdadd4120932170d1b10f6cfa175cfda22951dfd882928ab279b",
        "ssdeep,SSDEEP,48:kXs1v2Qw:kXsQw"})
    void everyHashOfASectionsBytesIsASectionHashAndNeverAFileHash(String type, String segment, String value) {
        for (Profile profile : Profile.values()) {
            String pattern = map(profile, sectionMember(type, value)).indicators().get(0).pattern();

            assertThat(pattern).as(profile.name()).doesNotContain("file:hashes")
                    .startsWith("[" + PeSectionHashes.PATH + segment + " = ");
            assertThat(StixPatternChecker.parse(pattern).single().value()).isEqualTo(value);
        }
    }

    @Test
    void aHashDefinedOnlyForWholeFilesIsNoIndicatorWhenMispPutsItInASection() {
        MappingResult result = map(Profile.SENTINEL, sectionMember("imphash", "68f013d7437aa653a8a98a05807afeb1"));

        assertThat(result.skipReason()).isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(result.detail()).isEqualTo("IMPHASH is defined on a whole file, not on a PE section");
    }

    @Test
    void anInvalidSectionHashIsSkippedWithTheHashesOwnReason() {
        MappingResult result = map(Profile.MISP_STIX, sectionMember("md5", "0f343b"));

        assertThat(result.skipReason()).isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(result.detail()).startsWith("MD5 must be 32 hex digits");
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void theSameHashInAPeOrFileObjectStaysAWholeFileHash(Profile profile) {
        for (String objectName : new String[] {"pe", "file"}) {
            List<MispAttribute> members = ObjectSamples.members(objectName, ObjectSamples.m("md5", "md5", SECTION_MD5, true));
            MispAttribute md5 = members.get(0).withObject(ObjectSamples.object(objectName, "file", members));

            assertThat(map(profile, md5).indicators().get(0).pattern()).as(objectName)
                    .isEqualTo("[file:hashes.MD5 = '" + SECTION_MD5 + "']");
        }
    }
}
