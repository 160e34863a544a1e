package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.SentinelFault;

/** Attributes MISP withdraws (deletes, or clears to_ids) after Sentinel got them, through the real routes. */
class RevocationTest {

    private static final String UUID = "6a9bd9b6-55bc-4d39-8b88-0d1e1a8b5b1e";
    private static final String INDICATOR = "indicator--" + UUID;
    private static final long CHANGED = Attributes.T0 + 60;

    @TempDir
    Path temp;

    private static MispAttributes.Builder domain() {
        return MispAttributes.attribute("domain", "c2.example.org").id(1).uuid(UUID).toIds(true)
                .timestamp(Attributes.T0);
    }

    private static JsonNode accepted(SyncHarness h, String id) {
        return h.standIns.sentinel().acceptedObject(id).orElseThrow();
    }

    @Test
    void attributeDeletedInMispAfterDeliveryIsSentAgainRevokedOnce() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.dataset.add(domain());
            h.runCycle();
            assertThat(accepted(h, INDICATOR).has("revoked")).isFalse();

            h.dataset.add(domain().deleted(true).timestamp(CHANGED));
            CycleReport withdrawn = h.runCycle();

            assertThat(withdrawn.exitCode()).isZero();
            assertThat(withdrawn.revoked()).isEqualTo(1);
            h.assertCheckpointMovedToTheRead(withdrawn);
            assertThat(accepted(h, INDICATOR).path("revoked").asBoolean()).isTrue();
            assertThat(accepted(h, INDICATOR).path("modified").asText()).isEqualTo("2023-11-14T22:14:20.000Z");
            assertThat(accepted(h, INDICATOR).path("pattern").asText()).isEqualTo("[domain-name:value = 'c2.example.org']");

            CycleReport later = h.runCycle();

            assertThat(later.revoked()).isZero();
            assertThat(later.skipped()).containsEntry("domain/deleted", 1L);
            assertThat(h.standIns.sentinel().uploadCount(INDICATOR)).isEqualTo(2);
        }
    }

    @Test
    void attributeWhoseToIdsWasClearedAfterDeliveryIsRevoked() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.dataset.add(domain());
            h.runCycle();

            h.dataset.add(domain().toIds(false).timestamp(CHANGED));
            CycleReport withdrawn = h.runCycle();

            assertThat(withdrawn.revoked()).isEqualTo(1);
            assertThat(accepted(h, INDICATOR).path("revoked").asBoolean()).isTrue();
        }
    }

    @Test
    void attributeWithdrawnBeforeItWasEverSentSendsNothing() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.dataset.add(domain().deleted(true));
            h.dataset.add(MispAttributes.attribute("domain", "context.example.org").toIds(false)
                    .timestamp(Attributes.T0));

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.revoked()).isZero();
            assertThat(report.notToIds()).isEqualTo(1);
            assertThat(report.skipped()).containsEntry("domain/deleted", 1L);
            assertThat(h.standIns.sentinel().requests()).isZero();
        }
    }

    @Test
    void revocationSentinelRefusedKeepsTheCheckpointAndGoesOutWithTheNextCycle() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-retries", "1");
            h.dataset.add(domain());
            CycleReport delivered = h.runCycle();
            h.dataset.add(domain().deleted(true).timestamp(CHANGED));
            h.standIns.sentinel().enqueue(SentinelFault.serverError(503), 2);

            CycleReport failed = h.runCycle();

            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.checkpointAfter()).isEqualTo(delivered.checkpointAfter());
            assertThat(accepted(h, INDICATOR).has("revoked")).isFalse();

            CycleReport next = h.runCycle();

            assertThat(next.exitCode()).isZero();
            assertThat(next.revoked()).isEqualTo(1);
            assertThat(accepted(h, INDICATOR).path("revoked").asBoolean()).isTrue();
        }
    }

    @Test
    void pairedValueRevokesBothOfItsIndicators() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            MispAttributes.Builder pair = MispAttributes.attribute("domain|ip", "c2.example.org|198.51.100.7").id(1)
                    .uuid(UUID).toIds(true).timestamp(Attributes.T0);
            h.dataset.add(pair);
            h.runCycle();
            assertThat(h.standIns.sentinel().acceptedIds()).hasSize(2);

            h.dataset.add(pair.deleted(true).timestamp(CHANGED));
            h.runCycle();

            assertThat(h.standIns.sentinel().accepted().values()).hasSize(2)
                    .allSatisfy(indicator -> assertThat(indicator.path("revoked").asBoolean()).isTrue());
        }
    }

    @Test
    void whatWasDeliveredBeforeARestartIsStillRevoked() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.dataset.add(domain());
            h.runCycle();
            h.stopApplication();

            h.dataset.add(domain().deleted(true).timestamp(CHANGED));
            CycleReport afterRestart = h.runCycle();

            assertThat(afterRestart.revoked()).isEqualTo(1);
            assertThat(accepted(h, INDICATOR).path("revoked").asBoolean()).isTrue();
        }
    }

    @Test
    void withRevocationOffAWithdrawnAttributeIsLeftToExpire() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.revoke-withdrawn", "false");
            h.dataset.add(domain());
            h.runCycle();

            h.dataset.add(domain().deleted(true).timestamp(CHANGED));
            CycleReport report = h.runCycle();

            assertThat(report.revoked()).isZero();
            assertThat(h.standIns.sentinel().uploadCount(INDICATOR)).isEqualTo(1);
            assertThat(accepted(h, INDICATOR).has("revoked")).isFalse();
        }
    }

    @Test
    void indicatorThatHasExpiredInSentinelSinceIsNotRevoked() throws Exception {
        long day = 86_400L;
        org.mispsentinel.standin.AdjustableClock clock =
                new org.mispsentinel.standin.AdjustableClock(Instant.ofEpochSecond(Attributes.T0 + day));
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.indicator-ttl-days", "1").clock(clock);
            // valid until last_seen, two days on
            h.set("stix.valid-until-from-last-seen", "true");
            h.dataset.add(domain().lastSeen(Instant.ofEpochSecond(Attributes.T0 + 2 * day)));
            h.runCycle();

            clock.set(Instant.ofEpochSecond(Attributes.T0 + 5 * day));
            h.dataset.add(domain().deleted(true).timestamp(CHANGED).lastSeen(Instant.ofEpochSecond(CHANGED)));
            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.revoked()).isZero();
            assertThat(report.skipped()).containsEntry("domain/expired", 1L);
            assertThat(h.standIns.sentinel().uploadCount(INDICATOR)).isEqualTo(1);
        }
    }

    @Test
    void indicatorSentinelHoldsUnexpiredIsRevokedThoughItsNewLastSeenIsPast() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.indicator-ttl-days", "1");
            // valid until last_seen... which is the far future at first, and long past when withdrawn
            h.set("stix.valid-until-from-last-seen", "true");
            h.dataset.add(domain().lastSeen(Instant.parse("2999-01-01T00:00:00Z")));
            h.runCycle();

            h.dataset.add(domain().deleted(true).timestamp(CHANGED).lastSeen(Instant.ofEpochSecond(CHANGED)));
            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.revoked()).as("Sentinel matches it until 2999 otherwise").isEqualTo(1);
            assertThat(accepted(h, INDICATOR).path("revoked").asBoolean()).isTrue();
            assertThat(h.standIns.sentinel().uploadCount(INDICATOR)).isEqualTo(2);
        }
    }

    @Test
    void memberOfAnObjectIndicatorLeavesItsPatternAndTheLastOneRevokesIt() throws Exception {
        String object = "indicator--0b3ce6aa-7d13-4598-89df-292867dc711b";
        String md5 = "8764605c6f388c89096b534d33565802";
        String sha1 = "46aba99aa7158e4609aaa72b50990842fd22ae86";
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("stix.profile", "misp-stix");
            h.dataset.addObject(MispAttributes.object(7, object.substring("indicator--".length()), "file", "file",
                    Attributes.T0));
            MispAttributes.Builder md5Member = MispAttributes.attribute("md5", md5).id(1).inObject("7", "md5")
                    .toIds(true).timestamp(Attributes.T0).uuid("2e42e17e-129e-4a50-8b85-e25017e4a200");
            MispAttributes.Builder sha1Member = MispAttributes.attribute("sha1", sha1).id(2).inObject("7", "sha1")
                    .toIds(true).timestamp(Attributes.T0).uuid("51613051-81c4-4d8f-b654-9128d8855103");
            h.dataset.add(md5Member);
            h.dataset.add(sha1Member);
            h.runCycle();

            h.dataset.add(sha1Member.deleted(true).timestamp(CHANGED));
            CycleReport oneLeft = h.runCycle();

            assertThat(oneLeft.revoked()).isEqualTo(1);
            assertThat(accepted(h, object).path("pattern").asText()).isEqualTo("[file:hashes.MD5 = '" + md5 + "']");
            assertThat(accepted(h, object).has("revoked")).isFalse();
            assertThat(accepted(h, object).path("modified").asText()).isEqualTo("2023-11-14T22:14:20.000Z");

            h.dataset.add(md5Member.deleted(true).timestamp(CHANGED + 60));
            h.runCycle();

            assertThat(accepted(h, object).path("revoked").asBoolean()).isTrue();
            assertThat(h.standIns.sentinel().uploadCount(object)).isEqualTo(3);
        }
    }

    @Test
    void attributeWithOneRefusedIndicatorAndAcceptedSiblingsIsRevokedWhole() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            MispAttributes.Builder pair = MispAttributes.attribute("domain|ip", "c2.example.org|198.51.100.7").id(1)
                    .uuid(UUID).toIds(true).timestamp(Attributes.T0);
            h.dataset.add(pair);
            h.standIns.sentinel().rejectRecordsMatching(i -> i.path("pattern").asText().startsWith("[ipv4-addr"));
            CycleReport first = h.runCycle();
            assertThat(first.deadLettered()).isEqualTo(1);
            h.standIns.sentinel().clearRules();

            h.dataset.add(pair.deleted(true).timestamp(CHANGED));
            CycleReport withdrawn = h.runCycle();

            assertThat(withdrawn.revoked()).isEqualTo(1);
            assertThat(h.standIns.sentinel().accepted().values()).hasSize(2)
                    .allSatisfy(indicator -> assertThat(indicator.path("revoked").asBoolean()).isTrue());
        }
    }

    @Test
    void deadLetterThatAReplayGotAcceptedIsRevoked() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.dataset.add(domain());
            h.standIns.sentinel().rejectRecordsMatching(i -> true);
            h.runCycle();
            h.standIns.sentinel().clearRules();
            assertThat(h.replayDeadLetters().delivered()).isEqualTo(1);

            h.dataset.add(domain().deleted(true).timestamp(CHANGED));
            CycleReport withdrawn = h.runCycle();

            assertThat(withdrawn.revoked()).isEqualTo(1);
            assertThat(accepted(h, INDICATOR).path("revoked").asBoolean()).isTrue();
        }
    }

    @Test
    void followersOfADeadLetteredObjectIndicatorAreRevokedOnceAReplayGotItAccepted() throws Exception {
        String object = "indicator--0b3ce6aa-7d13-4598-89df-292867dc711b";
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("stix.profile", "misp-stix");
            h.dataset.addObject(MispAttributes.object(7, object.substring("indicator--".length()), "file", "file",
                    Attributes.T0));
            MispAttributes.Builder md5Member = MispAttributes.attribute("md5", "8764605c6f388c89096b534d33565802").id(1)
                    .inObject("7", "md5").toIds(true).timestamp(Attributes.T0).uuid("2e42e17e-129e-4a50-8b85-e25017e4a200");
            MispAttributes.Builder sha1Member = MispAttributes.attribute("sha1", "46aba99aa7158e4609aaa72b50990842fd22ae86")
                    .id(2).inObject("7", "sha1").toIds(true).timestamp(Attributes.T0)
                    .uuid("51613051-81c4-4d8f-b654-9128d8855103");
            h.dataset.add(md5Member);
            h.dataset.add(sha1Member);
            h.standIns.sentinel().rejectRecordsMatching(i -> i.path("id").asText().equals(object));
            assertThat(h.runCycle().deadLettered()).isEqualTo(1);
            h.standIns.sentinel().clearRules();
            h.replayDeadLetters();

            h.dataset.add(sha1Member.deleted(true).timestamp(CHANGED));
            h.runCycle();
            h.dataset.add(md5Member.deleted(true).timestamp(CHANGED + 60));
            h.runCycle();

            assertThat(accepted(h, object).path("revoked").asBoolean()).isTrue();
        }
    }
}
