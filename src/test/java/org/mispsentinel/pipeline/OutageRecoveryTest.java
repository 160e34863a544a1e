package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.MispFault;
import org.mispsentinel.standin.SentinelFault;

class OutageRecoveryTest {

    @TempDir
    Path temp;

    @Test
    void sentinelOutageLosesNothingAndKeepsTheCheckpoint() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-retries", "2");
            List<String> expected = Attributes.addMix(h.dataset, 200);
            // the first batch gets 503 on the first try and on both retries: the cycle sends nothing more
            h.standIns.sentinel().enqueue(SentinelFault.serverError(503), 3);

            CycleReport during = h.runCycle();

            assertThat(during.failed()).isEqualTo(during.indicators());
            assertThat(during.exitCode()).isEqualTo(1);
            assertThat(during.checkpointAfter()).isEmpty();
            assertThat(h.standIns.sentinel().acceptedCount()).isZero();

            CycleReport after = h.runCycle();

            assertThat(after.delivered()).isEqualTo(expected.size());
            assertThat(after.exitCode()).isZero();
            assertThat(h.standIns.sentinel().acceptedIds())
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(Attributes::indicatorId).toList());
            h.assertCheckpointMovedToTheRead(after);
        }
    }

    @Test
    void sentinelErrorsWithinTheRetryBudgetAreRetriedAndDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 80);
            h.standIns.sentinel().enqueue(SentinelFault.serverError(500));
            h.standIns.sentinel().enqueue(SentinelFault.serverError(502));
            h.standIns.sentinel().enqueue(SentinelFault.reset());

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.sentinel().acceptedCount()).isEqualTo(expected.size());
        }
    }

    @Test
    void mispOutageMidPagingKeepsTheCheckpointAndTheNextRunSendsOnlyWhatWasMissing() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.max-retries", "1");
            List<String> expected = Attributes.addMix(h.dataset, 200);
            // page 1 answers normally, then page 2 fails on the first try and on the retry
            h.standIns.misp().enqueue(MispFault.delay(Duration.ZERO));
            h.standIns.misp().enqueue(MispFault.serverError(), 2);

            CycleReport during = h.runCycle();

            assertThat(during.exitCode()).isEqualTo(1);
            assertThat(during.pages()).isEqualTo(1);
            assertThat(during.delivered()).isEqualTo(30);
            assertThat(during.checkpointAfter()).isEmpty();

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            assertThat(after.duplicates()).isEqualTo(30);
            assertThat(h.standIns.sentinel().acceptedIds())
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(Attributes::indicatorId).toList());
            assertThat(expected).allSatisfy(uuid ->
                    assertThat(h.standIns.sentinel().uploadCount(Attributes.indicatorId(uuid))).isEqualTo(1));
        }
    }

    @Test
    void unreachableMispFailsTheCycleClearlyInsteadOfLookingEmpty() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.max-retries", "2");
            Attributes.addMix(h.dataset, 10);
            h.standIns.misp().enqueue(MispFault.serverError(), 3);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.problems()).singleElement().asString().contains("MISP answered HTTP 500");
            assertThat(report.checkpointAfter()).isEmpty();
            assertThat(h.standIns.misp().requestCount()).isEqualTo(3);
        }
    }

    @Test
    void refusedMispKeyStopsTheCycleWithoutRetrying() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.api-key", "not-the-key");
            Attributes.addMix(h.dataset, 10);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.problems()).singleElement().asString()
                    .contains("MISP refused the API key (HTTP 403").contains("MISP_API_KEY")
                    .doesNotContain("not-the-key");
            assertThat(h.standIns.misp().requestCount()).isEqualTo(1);
        }
    }
}
