package org.mispsentinel.stix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispTag;

class ThreatContextTest {

    private static final String ORG = "55f6ea5e-2c60-40e5-964f-47a8950d210f";
    private final ThreatContext context = new ThreatContext();

    private static MispAttribute attribute(String orgcUuid, String... tags) {
        return attribute(1_700_000_000L, orgcUuid, tags);
    }

    private static MispAttribute attribute(long timestamp, String orgcUuid, String... tags) {
        return new MispAttribute("5f1e3a7c-2b4d-4e6f-8a9b-0c1d2e3f4a5b", "ip-dst", "Network activity", "198.51.100.7",
                true, false, timestamp, null, null, null, "1", null, null, orgcUuid, "CIRCL", "0", null, null,
                java.util.Arrays.stream(tags).map(t -> new MispTag(t, true)).toList());
    }

    @Test
    void contextObjectsKeepOneCreatedWhicheverAttributeCarriesThemWhileModifiedFollowsIt() {
        String[] tags = {"misp-galaxy:mitre-attack-pattern=\"Account Manipulation - T1098\"",
            "misp-galaxy:threat-actor=\"APT28\""};
        List<StixContextObject> early = context.objects(attribute(1_600_000_000L, ORG, tags));
        List<StixContextObject> late = context.objects(attribute(1_700_000_000L, ORG, tags));

        assertThat(early).extracting(StixContextObject::type).containsExactly("identity", "attack-pattern", "threat-actor");
        assertThat(early).extracting(StixContextObject::id).isEqualTo(late.stream().map(StixContextObject::id).toList());
        assertThat(early).extracting(StixContextObject::created)
                .isEqualTo(late.stream().map(StixContextObject::created).toList());
        assertThat(early).allSatisfy(o -> assertThat(o.modified()).isEqualTo("2020-09-13T12:26:40.000Z"));
        assertThat(late).allSatisfy(o -> assertThat(o.modified()).isEqualTo("2023-11-14T22:13:20.000Z"));
    }

    @Test
    void noContextObjectIsModifiedBeforeItWasCreatedEvenForAnAttributeFromTheEpoch() {
        List<StixContextObject> objects = context.objects(attribute(0, ORG, "misp-galaxy:threat-actor=\"APT28\""));

        assertThat(objects).hasSize(2).allSatisfy(o -> assertThat(o.modified()).isGreaterThanOrEqualTo(o.created()));
    }

    @Test
    void aRelationshipKeepsOneCreatedAcrossTheVersionsOfItsIndicator() {
        StixMapper mapper = new StixMapper(MappingOptions.defaults());
        MispAttribute first = attribute(1_600_000_000L, null, "misp-galaxy:threat-actor=\"APT28\"");
        MispAttribute changed = attribute(1_700_000_000L, null, "misp-galaxy:threat-actor=\"APT28\"");
        StixContextObject actor = context.objects(first).get(0);

        StixRelationship before = context.indicates(mapper.map(first).indicators().get(0), actor);
        StixRelationship after = context.indicates(mapper.map(changed).indicators().get(0), actor);

        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.created()).isEqualTo(before.created()).isEqualTo(actor.created());
        assertThat(after.modified()).isEqualTo("2023-11-14T22:13:20.000Z").isGreaterThan(before.modified());
    }

    @Test
    void creatorOrganisationBecomesAnIdentityWithItsUuid() {
        List<StixContextObject> objects = context.objects(attribute(ORG));

        assertThat(objects).singleElement().satisfies(identity -> {
            assertThat(identity.id()).isEqualTo("identity--" + ORG);
            assertThat(identity.name()).isEqualTo("CIRCL");
            assertThat(identity.identityClass()).isEqualTo("organization");
        });
    }

    @Test
    void attackPatternGalaxyTagBecomesAnAttackPatternWithItsAttackId() {
        List<StixContextObject> objects = context.objects(attribute(null,
                "misp-galaxy:mitre-attack-pattern=\"Spearphishing Attachment - T1566.001\""));

        assertThat(objects).singleElement().satisfies(pattern -> {
            assertThat(pattern.type()).isEqualTo("attack-pattern");
            assertThat(pattern.id()).startsWith("attack-pattern--");
            assertThat(pattern.name()).isEqualTo("Spearphishing Attachment");
            assertThat(pattern.externalReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.sourceName()).isEqualTo("mitre-attack");
                assertThat(ref.externalId()).isEqualTo("T1566.001");
                assertThat(ref.url()).isEqualTo("https://attack.mitre.org/techniques/T1566/001/");
            });
        });
    }

    /**
     * MISP's galaxy cluster mitre-attack-pattern (MISP/misp-galaxy, clusters/mitre-attack-pattern.json)
     * gives 239 names to more than one ATT&CK id; these are three of them, with their ids as the
     * galaxy has them.
     */
    @Test
    void techniquesThatShareAGalaxyNameAreDistinctObjectsByTheirAttackId() {
        String[] values = {"Spearphishing Attachment - T1566.001", "Spearphishing Attachment - T1598.002",
            "Spearphishing Attachment - T1193", "Spearphishing Link - T1566.002", "Spearphishing Link - T1598.003",
            "Spearphishing via Service - T1566.003", "Spearphishing via Service - T1194"};
        List<StixContextObject> one = new java.util.ArrayList<>();
        for (String value : values) {
            one.addAll(context.objects(attribute(null, "misp-galaxy:mitre-attack-pattern=\"" + value + "\"")));
        }

        assertThat(one).extracting(StixContextObject::id).doesNotHaveDuplicates().hasSize(values.length);
        assertThat(one).extracting(o -> o.externalReferences().get(0).externalId())
                .containsExactly("T1566.001", "T1598.002", "T1193", "T1566.002", "T1598.003", "T1566.003", "T1194");
        // an indicator tagged with T1598.002 only is linked to T1598.002's object, not to T1566.001's
        List<StixContextObject> tagged = context.objects(attribute(null,
                "misp-galaxy:mitre-attack-pattern=\"Spearphishing Attachment - T1598.002\""));
        assertThat(tagged).singleElement().extracting(StixContextObject::id).isEqualTo(one.get(1).id())
                .isNotEqualTo(one.get(0).id());
    }

    @Test
    void intrusionSetAndThreatActorGalaxyTagsBecomeThreatActors() {
        List<StixContextObject> objects = context.objects(attribute(null,
                "misp-galaxy:mitre-intrusion-set=\"APT1 - G0006\"", "misp-galaxy:threat-actor=\"Sofacy\"",
                "misp-galaxy:ransomware=\"Samas\"", "tlp:green"));

        assertThat(objects).extracting(StixContextObject::type).containsExactly("threat-actor", "threat-actor");
        assertThat(objects).extracting(StixContextObject::name).containsExactly("APT1", "Sofacy");
    }

    @Test
    void mispsOlderAttackGalaxiesGiveTheSameObjectsAsTheCurrentOnes() {
        List<StixContextObject> legacy = context.objects(attribute(null,
                "misp-galaxy:mitre-enterprise-attack-attack-pattern=\"Account Manipulation - T1098\"",
                "misp-galaxy:mitre-pre-attack-intrusion-set=\"APT1 - G0006\""));
        List<StixContextObject> current = context.objects(attribute(null,
                "misp-galaxy:mitre-attack-pattern=\"Account Manipulation - T1098\"",
                "misp-galaxy:mitre-intrusion-set=\"APT1 - G0006\""));

        assertThat(legacy).extracting(StixContextObject::type).containsExactly("attack-pattern", "threat-actor");
        assertThat(legacy).isEqualTo(current);
    }

    @Test
    void aClusterTaggedTwiceIsOneObject() {
        assertThat(context.objects(attribute(null, "misp-galaxy:mitre-attack-pattern=\"Account Manipulation - T1098\"",
                "misp-galaxy:mitre-enterprise-attack-attack-pattern=\"Account Manipulation - T1098\""))).hasSize(1);
    }

    @Test
    void sameClusterFromTwoEventsHasOneId() {
        String a = context.objects(attribute(null, "misp-galaxy:threat-actor=\"APT28\"")).get(0).id();
        String b = context.objects(attribute(null, "misp-galaxy:threat-actor=\"apt28\"")).get(0).id();

        assertThat(a).isEqualTo(b);
    }

    @Test
    void relationshipIdIsDeterministicAndLinksIndicatorToTarget() {
        MispAttribute attribute = attribute(null, "misp-galaxy:threat-actor=\"APT28\"");
        StixIndicator indicator = new StixMapper(MappingOptions.defaults()).map(attribute).indicators().get(0);
        StixContextObject actor = context.objects(attribute).get(0);

        StixRelationship first = context.indicates(indicator, actor);
        StixRelationship again = context.indicates(indicator, actor);

        assertThat(first).isEqualTo(again);
        assertThat(first.id()).startsWith("relationship--");
        assertThat(first.relationshipType()).isEqualTo("indicates");
        assertThat(first.sourceRef()).isEqualTo(indicator.id());
        assertThat(first.targetRef()).isEqualTo(actor.id());
    }
}
