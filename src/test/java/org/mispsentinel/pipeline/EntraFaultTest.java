package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.EntraFault;

/**
 * Entra ID misbehaving when a token is needed. A wrong client secret and an expired token are covered
 * by TokenTest.
 */
class EntraFaultTest {

    @TempDir
    Path temp;

    private static void assertEachAcceptedOnce(SyncHarness h, List<String> uuids) {
        List<String> ids = uuids.stream().map(Attributes::indicatorId).toList();
        assertThat(h.standIns.sentinel().acceptedIds()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(ids).allSatisfy(id -> assertThat(h.standIns.sentinel().uploadCount(id)).as(id).isEqualTo(1));
    }

    @Test
    void tokenEndpointDownForAWhileWithinTheRetryBudgetThenEverythingIsDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-retries", "5");
            List<String> expected = Attributes.addMix(h.dataset, 160);
            h.standIns.entra().enqueue(EntraFault.unavailable(), 3);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.problems()).isEmpty();
            assertThat(report.failed()).isZero();
            assertThat(h.standIns.entra().pendingFaults()).isZero();
            assertThat(h.standIns.tokens().issuedCount()).isEqualTo(1);
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @Test
    void tokenEndpointDownForLongerThanTheRetryBudgetFailsTheCycleAndTheNextCycleDelivers() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-retries", "1");
            List<String> expected = Attributes.addMix(h.dataset, 40);
            h.standIns.entra().enqueue(EntraFault.unavailable(), 20);

            CycleReport during = h.runCycle();

            assertThat(during.exitCode()).isEqualTo(1);
            assertThat(during.failed()).isEqualTo(expected.size());
            assertThat(during.checkpointAfter()).isEmpty();
            assertThat(h.standIns.sentinel().requests()).isZero();
            h.standIns.entra().clearFaults();

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            h.assertCheckpointMovedToTheRead(after);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @Test
    void tokenEndpointDroppingTheConnectionIsRetriedAndEverythingIsDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 40);
            h.standIns.entra().enqueue(EntraFault.reset(), 2);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.entra().pendingFaults()).isZero();
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, expected);
        }
    }
}
