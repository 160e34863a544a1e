package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mispsentinel.stix.ObjectSamples.MD5;
import static org.mispsentinel.stix.ObjectSamples.OBJECT_UUID;
import static org.mispsentinel.stix.ObjectSamples.SHA1;
import static org.mispsentinel.stix.ObjectSamples.SHA256;
import static org.mispsentinel.stix.ObjectSamples.m;
import static org.mispsentinel.stix.ObjectSamples.members;
import static org.mispsentinel.stix.ObjectSamples.object;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispObject;

/**
 * The misp-stix profile's one indicator per MISP object, for each template that gets one, and what
 * the attributes of other objects (and of the sentinel profile) carry of their object.
 */
class ObjectIndicatorTest {

    private static final StixMapper MISP_STIX = new StixMapper(Fixtures.options(Profile.MISP_STIX));
    private static final StixMapper SENTINEL = new StixMapper(Fixtures.options(Profile.SENTINEL));

    /** What the mapper makes of {@code member} once its object has been looked up. */
    private static MappingResult map(StixMapper mapper, MispObject object, MispAttribute member) {
        return mapper.map(member.withObject(object));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.mispsentinel.stix.ObjectSamples#samples")
    void everyDetectionAttributeOfTheObjectYieldsTheSameOneIndicator(ObjectSamples.Sample sample) {
        List<MispAttribute> members = sample.members();
        MispObject object = sample.object();
        String template = sample.template();

        List<StixIndicator> indicators = new ArrayList<>();
        for (MispAttribute member : members) {
            if (member.toIds() && ObjectPatterns.hasTerm(template, member.objectRelation())) {
                MappingResult result = map(MISP_STIX, object, member);
                assertThat(result.wholeObject()).isTrue();
                indicators.add(result.indicators().get(0));
            }
        }

        assertThat(indicators).isNotEmpty().allSatisfy(i -> assertThat(i).isEqualTo(indicators.get(0)));
        StixIndicator indicator = indicators.get(0);
        assertThat(indicator.id()).isEqualTo("indicator--" + OBJECT_UUID);
        assertThat(indicator.pattern()).isEqualTo(sample.pattern());
        assertThat(StixPatternChecker.parse(indicator.pattern()).observations()).isEqualTo(1);
        assertThat(indicator.labels()).startsWith("misp:name=\"" + template + "\"",
                "misp:meta-category=\"" + sample.metaCategory() + "\"");
        assertThat(indicator.killChainPhases()).extracting(StixIndicator.KillChainPhase::phaseName)
                .containsExactly(sample.metaCategory());
    }

    @Test
    void everyTemplateTheIssueNamesHasAPattern() {
        assertThat(ObjectPatterns.templates()).containsExactlyInAnyOrder("file", "domain-ip", "ip-port", "url", "email",
                "x509", "registry-key", "network-connection");
    }

    @Test
    void aMemberWithAnInvalidValueIsLeftOutAndWhenItIsTheAttributeAtHandItIsSkippedWithItsReason() {
        List<MispAttribute> members = members("file", m("md5", "md5", MD5, true), m("sha256", "sha256", "not-a-hash", true));
        MispObject object = object("file", "file", members);

        assertThat(map(MISP_STIX, object, members.get(0)).indicators().get(0).pattern())
                .isEqualTo("[file:hashes.MD5 = '" + MD5 + "']");
        MappingResult invalid = map(MISP_STIX, object, members.get(1));
        assertThat(invalid.skipReason()).isEqualTo(SkipReasons.INVALID_VALUE);
        assertThat(invalid.detail()).startsWith("sha256 of file object: SHA-256 must be 64 hex digits");
    }

    @Test
    void deletedMembersAndMembersWithoutToIdsAreNotInThePattern() {
        List<MispAttribute> members = new ArrayList<>(members("file", m("md5", "md5", MD5, true),
                m("sha1", "sha1", SHA1, false)));
        members.add(AttributeBuilder.attribute("sha256", SHA256).uuid("00000000-0000-4000-8000-000000000099")
                .deleted(true).object("7", "file", "sha256").build());

        assertThat(map(MISP_STIX, object("file", "file", members), members.get(0)).indicators().get(0).pattern())
                .isEqualTo("[file:hashes.MD5 = '" + MD5 + "']");
    }

    @Test
    void theAttributeAtHandCountsAsItIsNowEvenWhenTheObjectCopyHoldsAnOlderValue() {
        List<MispAttribute> members = members("url", m("url", "url", "https://example.org/old", true));
        MispAttribute changed = AttributeBuilder.attribute("url", "https://example.org/new")
                .uuid(members.get(0).uuid()).timestamp(AttributeBuilder.TIMESTAMP + 60).object("7", "url", "url").build();

        StixIndicator indicator = map(MISP_STIX, object("url", "network", members), changed).indicators().get(0);

        assertThat(indicator.pattern()).isEqualTo("[url:value = 'https://example.org/new']");
        assertThat(indicator.modified()).isEqualTo("2023-11-14T22:14:20.000Z");
    }

    @Test
    void markingAndConfidenceComeFromTheTagsOfAllDetectionMembers() {
        MispAttribute md5 = AttributeBuilder.attribute("md5", MD5).uuid("00000000-0000-4000-8000-000000000001")
                .eventTag("tlp:green").object("7", "file", "md5").build();
        MispAttribute sha1 = AttributeBuilder.attribute("sha1", SHA1).uuid("00000000-0000-4000-8000-000000000002")
                .tag("tlp:amber").tag("misp:confidence-level=\"fairly-confident\"").object("7", "file", "sha1").build();

        StixIndicator indicator = map(MISP_STIX, object("file", "file", List.of(md5, sha1)), md5).indicators().get(0);

        assertThat(indicator.objectMarkingRefs()).containsExactly(Tlp.AMBER.markingId());
        assertThat(indicator.confidence()).isEqualTo(50);
        assertThat(indicator.labels()).contains("misp:confidence-level=\"fairly-confident\"");
    }

    @Test
    void validUntilFollowsTheTtlOfTheObjectsKind() {
        StixMapper mapper = new StixMapper(Fixtures.options(Profile.MISP_STIX).toBuilder()
                .ttlDaysByKind(Map.of(IndicatorKind.FILE_HASH, 365, IndicatorKind.IP, 30)).build());
        List<MispAttribute> file = members("file", m("md5", "md5", MD5, true));

        assertThat(map(mapper, object("file", "file", file), file.get(0)).indicators().get(0).validUntil())
                .isEqualTo("2024-11-13T22:13:20.000Z");
    }

    @Test
    void attributesOfOtherObjectsGoOutOnTheirOwnNamedAfterTheirObject() {
        List<MispAttribute> pe = members("pe", m("original-filename", "filename", "invoice.exe", true));

        MappingResult result = map(MISP_STIX, object("pe", "file", pe), pe.get(0));

        assertThat(result.wholeObject()).isFalse();
        StixIndicator indicator = result.indicators().get(0);
        assertThat(indicator.id()).isEqualTo("indicator--" + pe.get(0).uuid());
        assertThat(indicator.pattern()).isEqualTo("[file:name = 'invoice.exe']");
        assertThat(indicator.name()).isEqualTo("filename: invoice.exe (object pe, relation original-filename)");
    }

    @Test
    void theSentinelProfileKeepsOneIndicatorPerAttributeNamedAfterItsObject() {
        List<MispAttribute> file = members("file", m("md5", "md5", MD5, true), m("sha1", "sha1", SHA1, true));

        MappingResult result = map(SENTINEL, object("file", "file", file), file.get(1));

        assertThat(result.wholeObject()).isFalse();
        assertThat(result.indicators()).singleElement().satisfies(i -> {
            assertThat(i.pattern()).isEqualTo("[file:hashes.'SHA-1' = '" + SHA1 + "']");
            assertThat(i.name()).isEqualTo("sha1: " + SHA1 + " (object file, relation sha1)");
        });
    }
}
