package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.DeadLetters;
import org.mispsentinel.standin.SentinelFault;

/**
 * Sentinel misbehaving during uploads. Per-record errors in a 200 and a 403 are covered by
 * RejectionTest, an expiring token by TokenTest.
 */
class SentinelFaultTest {

    @TempDir
    Path temp;

    private static List<String> ids(List<String> uuids) {
        return uuids.stream().map(Attributes::indicatorId).toList();
    }

    private static void assertEachAcceptedOnce(SyncHarness h, List<String> uuids) {
        assertThat(h.standIns.sentinel().acceptedIds()).containsExactlyInAnyOrderElementsOf(ids(uuids));
        assertThat(ids(uuids)).allSatisfy(id -> assertThat(h.standIns.sentinel().uploadCount(id)).as(id).isEqualTo(1));
    }

    @Test
    void stormOfTooManyRequestsIsWaitedOutAndEverythingIsDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            // small batches: see fullBatchSurvivesAStormOfTooManyRequests for full ones
            h.set("sentinel.batch-size", "20");
            List<String> expected = Attributes.addMix(h.dataset, 80);
            h.standIns.sentinel().enqueue(SentinelFault.throttled(1, true));
            h.standIns.sentinel().enqueue(SentinelFault.throttled(1, false));
            h.standIns.sentinel().enqueue(SentinelFault.throttled(1, true));

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.throttled()).isEqualTo(3);
            assertThat(h.standIns.sentinel().throttledCount()).isEqualTo(3);
            assertThat(h.standIns.sentinel().earlyRetries()).isZero();
            assertThat(h.standIns.sentinel().requests()).isEqualTo(3 + 3);
            assertThat(report.failed()).isZero();
            assertThat(report.delivered()).isEqualTo(expected.size());
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @Test
    void fullBatchSurvivesAStormOfTooManyRequests() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 160);
            h.standIns.sentinel().enqueue(SentinelFault.throttled(1, true), 3);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.failed()).isZero();
            assertThat(report.throttled()).isEqualTo(3);
            assertThat(h.standIns.sentinel().earlyRetries()).isZero();
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @Test
    void throttlingDoesNotUseUpTheRetriesForResetsAndServerErrors() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-retries", "1");
            List<String> expected = Attributes.addMix(h.dataset, 40);
            h.standIns.sentinel().enqueue(SentinelFault.throttled(1, true), 2);
            h.standIns.sentinel().enqueue(SentinelFault.reset());

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.failed()).isZero();
            assertThat(h.standIns.sentinel().requests()).isEqualTo(4);
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @Test
    void workspaceRateLimitIsRespectedAndEveryBatchDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp, b -> b.rateLimit(2, Duration.ofSeconds(1)))) {
            h.set("sentinel.batch-size", "20");
            List<String> expected = Attributes.addMix(h.dataset, 80);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.sentinel().throttledCount()).isPositive();
            assertThat(report.throttled()).isEqualTo(h.standIns.sentinel().throttledCount());
            assertThat(h.standIns.sentinel().earlyRetries()).isZero();
            assertThat(h.standIns.sentinel().batchSizes()).containsExactly(20, 20, 20);
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 504})
    void serverErrorWithinTheRetryBudgetIsRetriedAndDelivered(int status) throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-retries", "2");
            List<String> expected = Attributes.addMix(h.dataset, 40);
            h.standIns.sentinel().enqueue(SentinelFault.serverError(status), 2);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.failed()).isZero();
            assertThat(h.standIns.sentinel().requests()).isEqualTo(3);
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 504})
    void serverErrorBeyondTheRetryBudgetReleasesTheBatchForTheNextCycle(int status) throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-retries", "1");
            List<String> expected = Attributes.addMix(h.dataset, 40);
            h.standIns.sentinel().enqueue(SentinelFault.serverError(status), 2);

            CycleReport during = h.runCycle();

            assertThat(during.exitCode()).isEqualTo(1);
            assertThat(during.failed()).isEqualTo(expected.size());
            assertThat(during.delivered()).isZero();
            assertThat(during.checkpointAfter()).isEmpty();
            assertThat(h.standIns.sentinel().acceptedCount()).isZero();

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            assertThat(after.delivered()).isEqualTo(expected.size());
            h.assertCheckpointMovedToTheRead(after);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @Test
    void responseSlowerThanTheTimeoutIsRetried() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.timeout-seconds", "1");
            List<String> expected = Attributes.addMix(h.dataset, 40);
            // far longer than the timeout; the stand-in drops the waiting request when it closes
            h.standIns.sentinel().enqueue(SentinelFault.delay(Duration.ofMinutes(10)));

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.failed()).isZero();
            assertThat(h.standIns.sentinel().requests()).isEqualTo(2);
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @Test
    void connectionResetWithinTheRetryBudgetIsRetriedAndDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 40);
            h.standIns.sentinel().enqueue(SentinelFault.reset(), 2);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.sentinel().requests()).isEqualTo(3);
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @Test
    void connectionResetBeyondTheRetryBudgetReleasesTheBatchForTheNextCycle() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-retries", "1");
            List<String> expected = Attributes.addMix(h.dataset, 40);
            h.standIns.sentinel().enqueue(SentinelFault.reset(), 2);

            CycleReport during = h.runCycle();

            assertThat(during.exitCode()).isEqualTo(1);
            assertThat(during.failed()).isEqualTo(expected.size());
            assertThat(during.checkpointAfter()).isEmpty();
            assertThat(h.standIns.sentinel().acceptedCount()).isZero();

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            h.assertCheckpointMovedToTheRead(after);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @Test
    void batchRefusedAsTooLargeIsSplitAndEveryHalfDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 120);
            SentinelFault tooLarge = SentinelFault.status(413, "{\"error\":{\"code\":\"RequestEntityTooLarge\","
                    + "\"message\":\"The request body is too large.\"}}", Map.of());
            // the batch of 90 is refused, then its first half of 45 as well
            h.standIns.sentinel().enqueue(tooLarge, 2);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.deadLettered()).isZero();
            assertThat(report.failed()).isZero();
            assertThat(report.delivered()).isEqualTo(expected.size());
            assertThat(h.standIns.sentinel().batchSizes()).containsExactly(22, 23, 45);
            assertThat(Files.exists(h.stateDir.resolve(DeadLetters.FILE_NAME))
                    && !Files.readAllLines(h.stateDir.resolve(DeadLetters.FILE_NAME)).isEmpty()).isFalse();
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @Test
    void outageCostsOneRetryBudgetPerCycleAndLeavesTheRestForTheNextCycle() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-retries", "1").set("sentinel.batch-size", "20");
            List<String> expected = Attributes.addMix(h.dataset, 200);
            h.standIns.sentinel().enqueue(SentinelFault.serverError(503), 1000);

            CycleReport during = h.runCycle();

            // the first batch and its one retry; the batches after it are not sent at all
            assertThat(h.standIns.sentinel().requests()).isEqualTo(2);
            assertThat(during.exitCode()).isEqualTo(1);
            assertThat(during.delivered()).isZero();
            assertThat(during.checkpointAfter()).isEmpty();
            assertThat(during.problems()).anySatisfy(p -> assertThat(p).contains("next"));

            h.standIns.sentinel().clearFaults();
            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            h.assertCheckpointMovedToTheRead(after);
            assertEachAcceptedOnce(h, expected);
        }
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {404, 405, 407, 409, 415, 422})
    void answerAboutTheAddressNotTheRecordsStopsTheCycleNamingASettingAndDeadLettersNothing(int status)
            throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 250);
            h.standIns.sentinel().enqueue(SentinelFault.status(status,
                    "{\"error\":{\"code\":\"Refused\",\"message\":\"refused\"}}", Map.of()));

            CycleReport during = h.runCycle();

            assertThat(h.standIns.sentinel().requests()).isEqualTo(1);
            assertThat(during.exitCode()).isEqualTo(1);
            assertThat(during.deadLettered()).isZero();
            assertThat(during.checkpointAfter()).isEmpty();
            assertThat(during.problems()).anySatisfy(p -> assertThat(p).containsPattern("sentinel\\.api|https\\.proxy"));
            assertThat(Files.exists(h.stateDir.resolve(DeadLetters.FILE_NAME))).isFalse();

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            assertEachAcceptedOnce(h, expected);
        }
    }

    @Test
    void halvesOfARefusedBatchEachGetAFreshThrottleBudget() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-throttled-retries", "1");
            List<String> expected = Attributes.addMix(h.dataset, 40);
            SentinelFault refused = SentinelFault.status(400,
                    "{\"error\":{\"code\":\"InvalidRequest\",\"message\":\"refused\"}}", Map.of());
            // the whole batch uses its one 429, is refused, and its first half meets a 429 of its own
            h.standIns.sentinel().enqueue(SentinelFault.throttled(1, true));
            h.standIns.sentinel().enqueue(refused);
            h.standIns.sentinel().enqueue(SentinelFault.throttled(1, true));

            CycleReport report = h.runCycle();

            assertThat(report.failed()).isZero();
            assertThat(report.deadLettered()).isZero();
            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.sentinel().batchSizes()).containsExactly(15, 15);
            assertEachAcceptedOnce(h, expected);
        }
    }
}
