package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.SentinelFault;

class ThreatContextDeliveryTest {

    private static final String ORG = "55f6ea5e-2c60-40e5-964f-47a8950d210f";

    @TempDir
    Path temp;

    private static List<JsonNode> ofType(SyncHarness h, String type) {
        return h.standIns.sentinel().accepted().values().stream()
                .filter(o -> o.path("type").asText().equals(type)).toList();
    }

    @Test
    void stixObjectsApiGetsIdentityAttackPatternAndRelationshipsEachObjectOnce() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.api", "stix-objects");
            for (int i = 0; i < 30; i++) {
                h.dataset.add(MispAttributes.attribute("domain", "c2-" + i + ".example.org").toIds(true)
                        .timestamp(Attributes.T0 + i).orgc("CIRCL", ORG)
                        .eventTag("misp-galaxy:mitre-attack-pattern=\"Application Layer Protocol - T1071\""));
            }

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(ofType(h, "indicator")).hasSize(30)
                    .allSatisfy(i -> assertThat(i.path("created_by_ref").asText()).isEqualTo("identity--" + ORG));
            assertThat(ofType(h, "identity")).singleElement()
                    .satisfies(o -> assertThat(o.path("name").asText()).isEqualTo("CIRCL"));
            JsonNode pattern = ofType(h, "attack-pattern").get(0);
            assertThat(ofType(h, "attack-pattern")).hasSize(1);
            assertThat(ofType(h, "relationship")).hasSize(30)
                    .allSatisfy(r -> assertThat(r.path("target_ref").asText()).isEqualTo(pattern.path("id").asText()));
            assertThat(h.standIns.sentinel().uploadCount("identity--" + ORG)).isEqualTo(1);
        }
    }

    @Test
    void contextObjectSentinelAcceptedIsNotSentAgainInLaterCyclesUntilItChanges() throws Exception {
        String technique = "misp-galaxy:mitre-attack-pattern=\"Application Layer Protocol - T1071\"";
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.api", "stix-objects");
            h.dataset.add(MispAttributes.attribute("domain", "c2-1.example.org").toIds(true).timestamp(Attributes.T0)
                    .orgc("CIRCL", ORG).eventTag(technique));
            h.runCycle();
            String patternId = ofType(h, "attack-pattern").get(0).path("id").asText();

            h.dataset.add(MispAttributes.attribute("domain", "c2-2.example.org").toIds(true)
                    .timestamp(Attributes.T0 + 10).orgc("CIRCL", ORG).eventTag(technique));
            CycleReport second = h.runCycle();

            assertThat(second.exitCode()).isZero();
            assertThat(ofType(h, "indicator")).hasSize(2);
            assertThat(ofType(h, "relationship")).hasSize(2);
            assertThat(h.standIns.sentinel().uploadCount("identity--" + ORG)).isEqualTo(1);
            assertThat(h.standIns.sentinel().uploadCount(patternId)).isEqualTo(1);

            h.dataset.add(MispAttributes.attribute("domain", "c2-3.example.org").toIds(true)
                    .timestamp(Attributes.T0 + 20).orgc("CIRCL Luxembourg", ORG).eventTag(technique));
            h.runCycle();

            assertThat(h.standIns.sentinel().uploadCount("identity--" + ORG)).as("renamed in MISP").isEqualTo(2);
            assertThat(ofType(h, "identity")).singleElement()
                    .satisfies(o -> assertThat(o.path("name").asText()).isEqualTo("CIRCL Luxembourg"));
            assertThat(h.standIns.sentinel().uploadCount(patternId)).isEqualTo(1);
        }
    }

    @Test
    void contextObjectOfABatchSentinelRefusedIsSentWithTheNextCycle() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.api", "stix-objects").set("sentinel.max-retries", "1");
            h.dataset.add(MispAttributes.attribute("domain", "c2.example.org").toIds(true).timestamp(Attributes.T0)
                    .orgc("CIRCL", ORG).eventTag("misp-galaxy:threat-actor=\"APT28\""));
            h.standIns.sentinel().enqueue(SentinelFault.serverError(503), 2);

            CycleReport failed = h.runCycle();

            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(h.standIns.sentinel().acceptedCount()).isZero();

            CycleReport next = h.runCycle();

            assertThat(next.exitCode()).isZero();
            assertThat(ofType(h, "identity")).hasSize(1);
            assertThat(ofType(h, "threat-actor")).singleElement()
                    .satisfies(o -> assertThat(o.path("name").asText()).isEqualTo("APT28"));
            assertThat(ofType(h, "relationship")).hasSize(1);
        }
    }

    @Test
    void uploadIndicatorsApiGetsIndicatorsOnly() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.dataset.add(MispAttributes.attribute("domain", "c2.example.org").toIds(true).timestamp(Attributes.T0)
                    .orgc("CIRCL", ORG).eventTag("misp-galaxy:threat-actor=\"APT28\""));

            h.runCycle();

            assertThat(h.standIns.sentinel().accepted().values())
                    .allSatisfy(o -> assertThat(o.path("type").asText()).isEqualTo("indicator"));
        }
    }
}
