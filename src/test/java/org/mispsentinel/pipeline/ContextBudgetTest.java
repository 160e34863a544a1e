package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.SentinelFault;
import org.mispsentinel.standin.SentinelStandIn;

/**
 * The Sentinel budget (100 requests of 100 objects a minute) spent on indicators first: each context
 * object once per workspace while Sentinel holds it, and the context behind the indicators or off.
 */
class ContextBudgetTest {

    private static final String ORG = "55f6ea5e-2c60-40e5-964f-47a8950d210f";
    private static final String TECHNIQUE = "misp-galaxy:mitre-attack-pattern=\"Application Layer Protocol - T1071\"";
    private static final String ACTOR = "misp-galaxy:threat-actor=\"APT28\"";

    @TempDir
    Path temp;

    private static SyncHarness stixObjects(SyncHarness h, String context) {
        h.set("sentinel.api", "stix-objects").set("sentinel.context", context);
        return h;
    }

    private static void add(SyncHarness h, int from, int count, String orgName, String... tags) {
        for (int i = from; i < from + count; i++) {
            MispAttributes.Builder b = MispAttributes.attribute("domain", "c2-" + i + ".example.org").toIds(true)
                    .timestamp(Attributes.T0 + i);
            if (orgName != null) {
                b.orgc(orgName, ORG);
            }
            for (String tag : tags) {
                b.eventTag(tag);
            }
            h.dataset.add(b);
        }
    }

    private static List<JsonNode> ofType(SyncHarness h, String type) {
        return h.standIns.sentinel().accepted().values().stream()
                .filter(o -> o.path("type").asText().equals(type)).toList();
    }

    private static String patternId(SyncHarness h) {
        return ofType(h, "attack-pattern").get(0).path("id").asText();
    }

    @Test
    void firstSyncSendsEachContextObjectOnceThoughTheDeliveryStoreForgetsItsOldestKeys() throws Exception {
        try (SyncHarness h = stixObjects(SyncHarness.start(temp), "with-indicators")) {
            // the delivery store keeps the latest 1,000 keys: 1,200 attributes push the first ones out
            h.set("state.dedup-capacity", "1000");
            add(h, 0, 1200, "CIRCL", TECHNIQUE);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(ofType(h, "indicator")).hasSize(1200);
            assertThat(ofType(h, "relationship")).hasSize(1200);
            SentinelStandIn sentinel = h.standIns.sentinel();
            assertThat(sentinel.uploadCount("identity--" + ORG)).isEqualTo(1);
            assertThat(sentinel.uploadCount(patternId(h))).isEqualTo(1);
            assertThat(sentinel.contextByType()).isEqualTo(Map.of("identity", 1L, "attack-pattern", 1L,
                    "relationship", 1200L));
        }
    }

    @Test
    void secondCycleWithNewIndicatorsOfTheSameContextSendsOnlyTheirRelationships() throws Exception {
        try (SyncHarness h = stixObjects(SyncHarness.start(temp), "after-indicators")) {
            add(h, 0, 10, "CIRCL", TECHNIQUE, ACTOR);
            h.runCycle();
            assertThat(h.standIns.sentinel().contextByType()).isEqualTo(Map.of("identity", 1L, "attack-pattern", 1L,
                    "threat-actor", 1L, "relationship", 20L));

            add(h, 100, 5, "CIRCL", TECHNIQUE, ACTOR);
            CycleReport second = h.runCycle();

            assertThat(second.exitCode()).isZero();
            assertThat(second.context()).isEqualTo(10);
            assertThat(h.standIns.sentinel().contextByType()).isEqualTo(Map.of("identity", 1L, "attack-pattern", 1L,
                    "threat-actor", 1L, "relationship", 30L));
        }
    }

    @Test
    void contextObjectWhoseContentChangedIsSentAgain() throws Exception {
        try (SyncHarness h = stixObjects(SyncHarness.start(temp), "after-indicators")) {
            add(h, 0, 3, "CIRCL", TECHNIQUE);
            h.runCycle();
            String pattern = patternId(h);

            // the same ATT&CK id (so the same object) under the name MISP's galaxy gives it now
            add(h, 10, 1, "CIRCL", "misp-galaxy:mitre-attack-pattern=\"Application Layer Protocol (renamed) - T1071\"");
            h.runCycle();

            assertThat(h.standIns.sentinel().uploadCount(pattern)).isEqualTo(2);
            assertThat(h.standIns.sentinel().acceptedObject(pattern).orElseThrow().path("name").asText())
                    .isEqualTo("Application Layer Protocol (renamed)");
            assertThat(h.standIns.sentinel().uploadCount("identity--" + ORG)).isEqualTo(1);
        }
    }

    @Test
    void contextOfABatchThatFailedStaysUnsentAndGoesWithTheNextCycle() throws Exception {
        try (SyncHarness h = stixObjects(SyncHarness.start(temp), "after-indicators")) {
            h.set("sentinel.max-retries", "1");
            add(h, 0, 5, null, TECHNIQUE, ACTOR);
            // the indicators' request goes through, the context's fails with its retry
            h.standIns.sentinel().enqueue(SentinelFault.delay(Duration.ZERO));
            h.standIns.sentinel().enqueue(SentinelFault.serverError(503), 2);

            CycleReport failed = h.runCycle();

            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.contextWaiting()).isEqualTo(12);
            assertThat(ofType(h, "indicator")).hasSize(5);
            // the creator's identity goes ahead of the indicators that point to it (created_by_ref)
            assertThat(h.standIns.sentinel().contextByType()).isEqualTo(Map.of("identity", 1L));

            CycleReport next = h.runCycle();

            assertThat(next.exitCode()).isZero();
            assertThat(next.context()).isEqualTo(12);
            assertThat(next.contextWaiting()).isZero();
            assertThat(h.standIns.sentinel().contextByType()).isEqualTo(Map.of("identity", 1L, "attack-pattern", 1L,
                    "threat-actor", 1L, "relationship", 10L));
        }
    }

    @Test
    void contextObjectSentinelRefusedIsDeadLetteredOnceNotWithEveryAttributeThatRefersToIt() throws Exception {
        try (SyncHarness h = stixObjects(SyncHarness.start(temp), "with-indicators")) {
            h.standIns.sentinel().rejectRecordsMatching(o -> o.path("type").asText().equals("threat-actor"));
            add(h, 0, 150, null, ACTOR);

            CycleReport first = h.runCycle();
            add(h, 200, 10, null, ACTOR);
            h.runCycle();

            // the actor once; each relationship to it is refused too, as one to nothing Sentinel holds
            assertThat(first.deadLettered()).isEqualTo(1 + 150);
            assertThat(h.standIns.sentinel().uploads().stream().mapToInt(SentinelStandIn.Upload::rejected).sum())
                    .isEqualTo(1 + 160);
            assertThat(ofType(h, "indicator")).hasSize(160);
        }
    }

    @Test
    void afterIndicatorsEveryIndicatorRequestOfTheFirstSyncPrecedesTheContextAndAllContextArrives() throws Exception {
        try (SyncHarness h = stixObjects(SyncHarness.start(temp), "after-indicators")) {
            add(h, 0, 250, null, TECHNIQUE, ACTOR);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            List<SentinelStandIn.Upload> uploads = h.standIns.sentinel().uploads();
            int lastWithIndicators = -1;
            for (int i = 0; i < uploads.size(); i++) {
                lastWithIndicators = uploads.get(i).indicators() > 0 ? i : lastWithIndicators;
            }
            // 250 indicators (and the creator's identity, which they point to) in 3 requests, then the
            // attack pattern, the threat actor and the 500 relationships in 6
            assertThat(lastWithIndicators).isEqualTo(2);
            assertThat(uploads).hasSize(9).allSatisfy(u -> assertThat(u.status()).isEqualTo(200));
            assertThat(uploads.subList(0, 3)).extracting(u -> u.objects() - u.indicators()).containsExactly(1, 0, 0);
            assertThat(uploads.subList(3, 9)).extracting(SentinelStandIn.Upload::indicators).containsOnly(0);
            assertThat(h.standIns.sentinel().contextByType()).isEqualTo(Map.of("identity", 1L, "attack-pattern", 1L,
                    "threat-actor", 1L, "relationship", 500L));
            assertThat(report.context()).isEqualTo(503);
            // the identity went with the indicators, the rest after them
            assertThat(report.delivered()).isEqualTo(251);
        }
    }

    @Test
    void contextOffSendsIndicatorsOnlyWithoutReferences() throws Exception {
        try (SyncHarness h = stixObjects(SyncHarness.start(temp), "off")) {
            add(h, 0, 20, "CIRCL", TECHNIQUE, ACTOR);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.sentinel().accepted().values()).hasSize(20)
                    .allSatisfy(o -> assertThat(o.path("type").asText()).isEqualTo("indicator"))
                    .allSatisfy(o -> assertThat(o.has("created_by_ref")).isFalse());
            assertThat(h.standIns.sentinel().contextByType()).isEmpty();
            assertThat(report.contextWaiting()).isZero();
        }
    }

    @Test
    void heldAndWaitingContextSurviveARestart() throws Exception {
        try (SyncHarness h = stixObjects(SyncHarness.start(temp), "after-indicators")) {
            h.set("sentinel.max-retries", "0");
            add(h, 0, 3, "CIRCL", TECHNIQUE);
            h.runCycle();
            add(h, 10, 2, "CIRCL", ACTOR);
            h.standIns.sentinel().enqueue(SentinelFault.delay(Duration.ZERO));
            h.standIns.sentinel().enqueue(SentinelFault.serverError(503));
            assertThat(h.runCycle().contextWaiting()).isEqualTo(3);
            h.stopApplication();

            add(h, 20, 1, "CIRCL", TECHNIQUE, ACTOR);
            CycleReport afterRestart = h.runCycle();

            assertThat(afterRestart.exitCode()).isZero();
            assertThat(afterRestart.contextWaiting()).isZero();
            SentinelStandIn sentinel = h.standIns.sentinel();
            assertThat(sentinel.uploadCount("identity--" + ORG)).isEqualTo(1);
            assertThat(sentinel.uploadCount(patternId(h))).isEqualTo(1);
            assertThat(ofType(h, "threat-actor")).singleElement()
                    .satisfies(a -> assertThat(sentinel.uploadCount(a.path("id").asText())).isEqualTo(1));
            assertThat(ofType(h, "relationship")).hasSize(3 + 2 + 2);
        }
    }
}
