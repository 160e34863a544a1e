package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.MispAttributes;

class DeliveryTest {

    @TempDir
    Path temp;

    @Test
    void multiPageRunDeliversEveryToIdsAttributeExactlyOnceInBatchesOfAtMost100() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 330);

            CycleReport report = h.runCycle();

            // by keyset, each page starts again at the last timestamp read, whose rows it repeats; the
            // last page holds only that second, and a short page ends nothing inside one (MISP drops
            // rows it does not count), so one more, past it, comes back empty
            assertThat(report.pages()).isEqualTo(11);
            assertThat(report.fetched()).isEqualTo(330);
            assertThat(h.standIns.sentinel().acceptedIds())
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(Attributes::indicatorId).toList());
            assertThat(expected).allSatisfy(uuid ->
                    assertThat(h.standIns.sentinel().uploadCount(Attributes.indicatorId(uuid))).isEqualTo(1));
            assertThat(h.standIns.sentinel().batchSizes()).allSatisfy(size -> assertThat(size).isBetween(1, 100));
            assertThat(h.standIns.sentinel().batchSizes()).containsExactly(100, 100, 48);
            assertThat(report.notToIds()).isEqualTo(330 - expected.size());
            assertThat(report.delivered()).isEqualTo(expected.size());
            assertThat(report.exitCode()).isZero();
            h.assertCheckpointMovedToTheRead(report);
        }
    }

    @Test
    void secondRunSendsNothingAlreadyDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 120);
            h.runCycle();
            int requestsAfterFirstRun = h.standIns.sentinel().requests();

            CycleReport second = h.runCycle();

            assertThat(h.standIns.sentinel().requests()).isEqualTo(requestsAfterFirstRun);
            assertThat(second.delivered()).isZero();
            assertThat(second.exitCode()).isZero();
        }
    }

    @Test
    void secondRunAfterRestartSendsNothingAlreadyDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 60);
            h.runCycle();
            int requestsAfterFirstRun = h.standIns.sentinel().requests();
            h.stopApplication();

            CycleReport second = h.runCycle();

            assertThat(h.standIns.sentinel().requests()).isEqualTo(requestsAfterFirstRun);
            assertThat(second.checkpointBefore()).isPresent();
            assertThat(second.exitCode()).isZero();
        }
    }

    @Test
    void attributeChangedInMispIsDeliveredAgain() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.dataset.add(MispAttributes.attribute("domain", "changed.example.org").id(1).uuid("a1b2c3d4-0000-4000-8000-000000000001")
                    .toIds(true).timestamp(Attributes.T0));
            h.runCycle();
            h.dataset.add(MispAttributes.attribute("domain", "changed.example.org").id(1).uuid("a1b2c3d4-0000-4000-8000-000000000001")
                    .toIds(true).timestamp(Attributes.T0 + 3600).comment("now with a comment"));

            CycleReport second = h.runCycle();

            assertThat(second.delivered()).isEqualTo(1);
            assertThat(h.standIns.sentinel().uploadCount("indicator--a1b2c3d4-0000-4000-8000-000000000001")).isEqualTo(2);
        }
    }

    @Test
    void firstRunWithLookbackAsksMispOnlyForEventsPublishedRecently() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.lookback-days", "7");

            h.runCycle();

            JsonNode window = h.standIns.misp().lastRequest().path("publish_timestamp");
            long since = window.isArray() ? window.path(0).asLong() : window.asLong();
            long now = java.time.Instant.now().getEpochSecond();
            assertThat(since).isBetween(now - 7 * 86_400 - 60, now - 7 * 86_400 + 60);
        }
    }
}
