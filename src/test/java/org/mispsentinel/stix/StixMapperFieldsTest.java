package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mispsentinel.stix.AttributeBuilder.attribute;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mispsentinel.stix.StixIndicator.ExternalReference;
import org.mispsentinel.stix.StixIndicator.KillChainPhase;

class StixMapperFieldsTest {

    private final StixMapper mapper = new StixMapper(Fixtures.options());

    private static StixIndicator only(MappingResult r) {
        assertThat(r.skipped()).as("skipped: %s %s", r.skipReason(), r.detail()).isFalse();
        assertThat(r.indicators()).hasSize(1);
        return r.indicators().get(0);
    }

    @Test
    void idIsTheAttributeUuidKeptExactlyAsMispSentIt() {
        StixIndicator i = only(mapper.map(attribute("domain", "example.org").uuid("5F1E3A7C-2B4D-4E6F-8A9B-0C1D2E3F4A5B").build()));
        assertThat(i.id()).isEqualTo("indicator--5F1E3A7C-2B4D-4E6F-8A9B-0C1D2E3F4A5B");
        assertThat(i.type()).isEqualTo("indicator");
        assertThat(i.specVersion()).isEqualTo("2.1");
    }

    @Test
    void createdModifiedAndValidFromComeFromTheTimestampAsRfc3339WithMillis() {
        StixIndicator i = only(mapper.map(attribute("domain", "example.org").build()));
        assertThat(i.created()).isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(i.modified()).isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(i.validFrom()).isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(i.validUntil()).isNull();
        assertThat(i.patternType()).isEqualTo("stix");
        assertThat(i.patternVersion()).isEqualTo("2.1");
    }

    @Test
    void validFromIsFirstSeenWhenMispHasOne() {
        StixIndicator i = only(mapper.map(attribute("domain", "example.org")
                .firstSeen(Instant.parse("2023-10-01T08:00:00.123456Z")).build()));
        assertThat(i.validFrom()).isEqualTo("2023-10-01T08:00:00.123Z");
        assertThat(i.created()).isEqualTo("2023-11-14T22:13:20.000Z");
    }

    @Test
    void ttlSetsValidUntilPerKindAndZeroMeansNone() {
        StixMapper m = new StixMapper(Fixtures.options().toBuilder().defaultTtlDays(365).ttlDaysByKind(Map.of(IndicatorKind.FILE_HASH, 0)).build());
        assertThat(only(m.map(attribute("domain", "example.org").build())).validUntil())
                .isEqualTo("2024-11-13T22:13:20.000Z");
        assertThat(only(m.map(attribute("md5", "b2a5abfeef9e36964281a31e17b57c97").build())).validUntil()).isNull();
    }

    @Test
    void indicatorWhoseTtlEndedBeforeNowIsSkippedAsExpired() {
        StixMapper m = new StixMapper(Fixtures.options().toBuilder().defaultTtlDays(30).build());
        MappingResult r = m.map(attribute("ip-dst", "198.51.100.7").build());
        assertThat(r.skipReason()).isEqualTo(SkipReasons.EXPIRED);
        assertThat(r.detail()).contains("2023-12-14T22:13:20.000Z");
    }

    @Test
    void lastSeenGivesValidUntilWhenEnabledAndMustBeAfterValidFromAndNow() {
        StixMapper m = new StixMapper(Fixtures.options().toBuilder().useLastSeen(true).defaultTtlDays(1).build());
        assertThat(only(m.map(attribute("domain", "example.org").lastSeen(Instant.parse("2024-06-01T00:00:00Z")).build()))
                .validUntil()).isEqualTo("2024-06-01T00:00:00.000Z");
        assertThat(m.map(attribute("domain", "example.org").firstSeen(Instant.parse("2024-07-01T00:00:00Z"))
                .lastSeen(Instant.parse("2024-06-01T00:00:00Z")).build()).skipReason()).isEqualTo(SkipReasons.EXPIRED);
        assertThat(m.map(attribute("domain", "example.org").lastSeen(Instant.parse("2023-12-31T00:00:00Z")).build())
                .skipReason()).isEqualTo(SkipReasons.EXPIRED);
        // Without last_seen the TTL applies, and one day after 2023-11-14 is long past.
        assertThat(m.map(attribute("domain", "example.org").build()).skipReason()).isEqualTo(SkipReasons.EXPIRED);
    }

    @Test
    void nameShowsTypeValueAndTheMispObjectItBelongsTo() {
        assertThat(only(mapper.map(attribute("ip-dst", "198.51.100.7").build())).name())
                .isEqualTo("ip-dst: 198.51.100.7");
        assertThat(only(mapper.map(attribute("ip-dst", "198.51.100.7").object("12", "domain-ip", "ip").build())).name())
                .isEqualTo("ip-dst: 198.51.100.7 (object domain-ip, relation ip)");
    }

    @Test
    void nameOfARuleShowsItsFirstLineOnly() {
        assertThat(only(mapper.map(attribute("yara", "rule a {\ncondition: true\n}").build())).name())
                .isEqualTo("yara: rule a {\u2026");
    }

    @Test
    void descriptionJoinsCommentAndEventInfo() {
        assertThat(only(mapper.map(attribute("domain", "example.org").comment("C2").eventInfo("Op X").build())).description())
                .isEqualTo("C2\n\nEvent: Op X");
        assertThat(only(mapper.map(attribute("domain", "example.org").eventInfo("Op X").build())).description())
                .isEqualTo("Event: Op X");
        assertThat(only(mapper.map(attribute("domain", "example.org").comment("C2").build())).description()).isEqualTo("C2");
        assertThat(only(mapper.map(attribute("domain", "example.org").comment(" ").build())).description()).isNull();
    }

    @Test
    void labelsAreTypeCategoryAndTagsWithoutDuplicates() {
        StixIndicator i = only(mapper.map(attribute("domain", "example.org").tag("malware:emotet")
                .eventTag("malware:emotet").eventTag("tlp:amber").build()));
        assertThat(i.labels()).containsExactly("misp:type=\"domain\"", "misp:category=\"Network activity\"",
                "malware:emotet", "tlp:amber");
    }

    @Test
    void labelAllowAndDenyPrefixesFilterLabelsIgnoringCase() {
        StixMapper m = new StixMapper(Fixtures.options().toBuilder().labelPrefixes(List.of("misp:", "malware:"), List.of("MISP:CATEGORY")).build());
        StixIndicator i = only(m.map(attribute("domain", "example.org").tag("Malware:emotet").tag("tlp:red")
                .tag("misp:confidence-level=\"unconfident\"").build()));
        assertThat(i.labels()).containsExactly("misp:type=\"domain\"", "Malware:emotet", "misp:confidence-level=\"unconfident\"");
    }

    @Test
    void killChainPhaseCarriesTheMispCategory() {
        assertThat(only(mapper.map(attribute("md5", "b2a5abfeef9e36964281a31e17b57c97").category("Payload delivery").build()))
                .killChainPhases()).containsExactly(new KillChainPhase("misp-category", "Payload delivery"));
        assertThat(only(mapper.map(attribute("domain", "example.org").category(null).build())).killChainPhases()).isNull();
    }

    @Test
    void lowestConfidenceTagWinsAndDefaultAppliesWithoutOne() {
        assertThat(only(mapper.map(attribute("domain", "example.org").tag("misp:confidence-level=\"usually-confident\"")
                .eventTag("misp:confidence-level=\"rarely-confident\"").build())).confidence()).isEqualTo(25);
        assertThat(only(mapper.map(attribute("domain", "example.org").tag("misp:confidence-level=\"completely-confident\"").build()))
                .confidence()).isEqualTo(100);
        assertThat(only(mapper.map(attribute("domain", "example.org").tag("misp:confidence-level=\"unconfident\"").build()))
                .confidence()).isZero();
        assertThat(only(mapper.map(attribute("domain", "example.org").build())).confidence()).isNull();
        assertThat(only(new StixMapper(Fixtures.options().toBuilder().defaultConfidence(60).build()).map(attribute("domain", "example.org").build()))
                .confidence()).isEqualTo(60);
    }

    @Test
    void theStrictestTlpOfTheAttributeAndItsEventIsTheMarkingAsForTheWorkspaceFilterElseTheDefault() {
        StixMapper m = new StixMapper(Fixtures.options().toBuilder().defaultTlp(Tlp.AMBER).build());
        // the rule filter.tlp-max judges by (WorkspaceDelivery.wants): an attribute marked clear in a red event is red
        assertThat(only(m.map(attribute("domain", "example.org").tag("tlp:clear").eventTag("tlp:red").build()))
                .objectMarkingRefs()).containsExactly(Tlp.RED.markingId());
        assertThat(only(m.map(attribute("domain", "example.org").tag("tlp:red").eventTag("tlp:green").build()))
                .objectMarkingRefs()).containsExactly(Tlp.RED.markingId());
        assertThat(only(m.map(attribute("domain", "example.org").eventTag("TLP:GREEN").build())).objectMarkingRefs())
                .containsExactly(Tlp.GREEN.markingId());
        assertThat(only(m.map(attribute("domain", "example.org").build())).objectMarkingRefs())
                .containsExactly(Tlp.AMBER.markingId());
        assertThat(only(mapper.map(attribute("domain", "example.org").build())).objectMarkingRefs()).isNull();
    }

    @Test
    void tlpTwoPointZeroLevelsMapToTheStixOnePointZeroMarkings() {
        assertThat(Tlp.fromTag("tlp:amber+strict")).isEqualTo(Tlp.AMBER);
        assertThat(Tlp.fromTag("tlp:clear")).isEqualTo(Tlp.WHITE);
        assertThat(Tlp.fromTag("tlp:white")).isEqualTo(Tlp.WHITE);
        assertThat(Tlp.fromTag("tlp:red")).isEqualTo(Tlp.RED);
        assertThat(Tlp.fromTag("tlp:ex:chr")).isNull();
        assertThat(Tlp.RED.markingId()).isEqualTo("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed");
        assertThat(Tlp.AMBER.markingId()).isEqualTo("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82");
        assertThat(Tlp.GREEN.markingId()).isEqualTo("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da");
        assertThat(Tlp.WHITE.markingId()).isEqualTo("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9");
    }

    @Test
    void severalTlpTagsOnOneLevelResolveToTheStrictest() {
        assertThat(only(mapper.map(attribute("domain", "example.org").tag("tlp:green").tag("tlp:amber").build()))
                .objectMarkingRefs()).containsExactly(Tlp.AMBER.markingId());
    }

    @Test
    void indicatorTypesComeFromTheDefaultOrFromIndicatorTypeTags() {
        assertThat(only(mapper.map(attribute("domain", "example.org").build())).indicatorTypes())
                .containsExactly("malicious-activity");
        assertThat(only(mapper.map(attribute("domain", "example.org").tag("misp:indicator-type=\"anonymization\"").build()))
                .indicatorTypes()).containsExactly("anonymization");
        assertThat(only(new StixMapper(Fixtures.options().toBuilder().defaultIndicatorTypes(List.of()).build())
                .map(attribute("domain", "example.org").build())).indicatorTypes()).isNull();
    }

    @Test
    void externalReferenceLinksTheMispEventWhenItsUuidIsKnown() {
        assertThat(only(mapper.map(attribute("domain", "example.org").build())).externalReferences())
                .containsExactly(new ExternalReference("MISP",
                        "https://misp.example.org/events/view/" + AttributeBuilder.EVENT_UUID, AttributeBuilder.EVENT_UUID, null));
        assertThat(only(new StixMapper(MappingOptions.defaults().toBuilder().clock(Fixtures.CLOCK).build())
                .map(attribute("domain", "example.org").build())).externalReferences())
                .containsExactly(new ExternalReference("MISP", null, AttributeBuilder.EVENT_UUID, null));
        assertThat(only(mapper.map(attribute("domain", "example.org").eventUuid(null).build())).externalReferences()).isNull();
        assertThat(only(mapper.map(attribute("domain", "example.org").eventUuid("../../admin").build())).externalReferences()).isNull();
    }

    @Test
    void createdByRefOnlyWhenEnabledAndTheCreatorOrgIsKnown() {
        String org = "0f1e2d3c-4b5a-4968-8776-655443322110";
        assertThat(only(mapper.map(attribute("domain", "example.org").orgc(org, "CIRCL").build())).createdByRef()).isNull();
        StixMapper m = new StixMapper(Fixtures.options().toBuilder().includeCreatedByRef(true).build());
        assertThat(only(m.map(attribute("domain", "example.org").orgc(org, "CIRCL").build())).createdByRef())
                .isEqualTo("identity--" + org);
        assertThat(only(m.map(attribute("domain", "example.org").build())).createdByRef()).isNull();
    }

    @Test
    void deletedAttributesAreNeverSent() {
        MappingResult r = mapper.map(attribute("domain", "example.org").deleted(true).build());
        assertThat(r.skipReason()).isEqualTo(SkipReasons.DELETED);
        assertThat(r.indicators()).isEmpty();
    }

    @Test
    void contextTypesAreNotPatterns() {
        for (String type : List.of("comment", "text", "other", "btc", "iban", "phone-number", "whois-registrant-email",
                "target-user", "vulnerability", "campaign-name", "ja3-fingerprint-md5", "attachment", "no-such-type")) {
            assertThat(mapper.map(attribute(type, "x").build()).skipReason()).as(type).isEqualTo(SkipReasons.NOT_A_PATTERN);
        }
    }

    @Test
    void malwareSampleIsDetectedByTheMd5InItsValueNotByTheAttachment() {
        StixIndicator indicator = only(mapper.map(attribute("malware-sample", "dropper.zip|b2a5abfeef9e36964281a31e17b57c97")
                .build()));

        assertThat(indicator.pattern()).isEqualTo("[file:hashes.MD5 = 'b2a5abfeef9e36964281a31e17b57c97']");
        assertThat(indicator.labels()).startsWith("misp:type=\"malware-sample\"");
        assertThat(mapper.map(attribute("malware-sample", "dropper.zip").build()).skipReason())
                .isEqualTo(SkipReasons.INVALID_VALUE);
    }

    @Test
    void linkIsAnIndicatorOnlyWhenFlaggedForDetection() {
        assertThat(mapper.map(attribute("link", "https://example.org/").toIds(false).build()).skipReason())
                .isEqualTo(SkipReasons.NOT_A_PATTERN);
        assertThat(only(mapper.map(attribute("link", "https://example.org/").toIds(true).build())).pattern())
                .isEqualTo("[url:value = 'https://example.org/']");
    }

    @Test
    void rulesAreSentRawWithTheirLanguageOrSkippedOnRequest() {
        String rule = "alert tcp any any -> any any (msg:\"it's\\x\"; sid:1;)";
        StixIndicator i = only(mapper.map(attribute("snort", rule).build()));
        assertThat(i.pattern()).isEqualTo(rule);
        assertThat(i.patternType()).isEqualTo("snort");
        StixMapper skip = new StixMapper(Fixtures.options().toBuilder().ruleHandling(RuleHandling.SKIP).build());
        for (String type : List.of("yara", "sigma", "snort", "suricata")) {
            assertThat(skip.map(attribute(type, rule).build()).skipReason()).isEqualTo(SkipReasons.RULE_SKIPPED);
        }
    }

    @Test
    void ruleTextsMayHoldNewlinesAndTabsButObservablesMayNot() {
        assertThat(mapper.map(attribute("sigma", "title: x\n\tdetection: y").build()).skipped()).isFalse();
        assertThat(mapper.map(attribute("filename", "a\tb").build()).skipReason()).isEqualTo(SkipReasons.INVALID_VALUE);
    }

    @Test
    void ruleTextsHaveTheirOwnLengthLimit() {
        String rule = "rule a { condition: true }" + " ".repeat(10_000);
        assertThat(mapper.map(attribute("yara", rule).build()).skipped()).isFalse();
        assertThat(new StixMapper(Fixtures.options().toBuilder().maxRuleLength(1000).build()).map(attribute("yara", rule).build()).skipReason())
                .isEqualTo(SkipReasons.VALUE_TOO_LONG);
    }

    @Test
    void supportedTypesAreListedPerProfile() {
        assertThat(StixMapper.supportedTypes(Profile.SENTINEL)).hasSize(66).contains("domain|ip", "AS", "yara", "malware-sample")
                .doesNotContain("comment", "link|x");
        assertThat(StixMapper.supportedTypes(Profile.MISP_STIX)).hasSize(66);
        assertThat(StixMapper.isRuleType("suricata")).isTrue();
        assertThat(StixMapper.isRuleType("md5")).isFalse();
    }

    @Test
    void revocationIsTheSameIndicatorMarkedRevokedAndOnlyIt() {
        StixIndicator sent = only(mapper.map(attribute("domain", "example.org").build()));
        StixIndicator revoked = only(mapper.revocation(attribute("domain", "example.org").deleted(true)
                .timestamp(1_700_000_060L).build()));

        assertThat(sent.revoked()).isNull();
        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.id()).isEqualTo(sent.id());
        assertThat(revoked.pattern()).isEqualTo(sent.pattern());
        assertThat(revoked.modified()).isEqualTo("2023-11-14T22:14:20.000Z");
        assertThat(mapper.map(attribute("domain", "example.org").deleted(true).build()).skipReason())
                .isEqualTo(SkipReasons.DELETED);
    }

    @Test
    void typeThatIsOnlyADetectionWithToIdsIsStillRevokedWhenToIdsWasCleared() {
        assertThat(mapper.map(attribute("link", "https://example.org/a").toIds(false).build()).skipped()).isTrue();

        assertThat(only(mapper.revocation(attribute("link", "https://example.org/a").toIds(false).build())).revoked())
                .isTrue();
    }
}
