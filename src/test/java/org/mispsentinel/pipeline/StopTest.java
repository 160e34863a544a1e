package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.SentinelFault;

/** SIGTERM (what systemd, Kubernetes and docker send; Process.destroy on Linux) to the scheduled run. */
class StopTest {

    /** Only a hang guard: the stop's own bound is shutdown.settle-seconds. */
    private static final long HANG_GUARD_SECONDS = 300;

    @TempDir
    Path temp;

    private static SyncHarness scheduled(SyncHarness h) {
        h.set("misp.page-size", "100");
        h.set("schedule.enabled", "true");
        // the cycle at start-up only
        h.set("misp.poll-cron", "0 0 0 1 1 ? 2099");
        return h;
    }

    private static List<String> lines(Path log, String containing) throws Exception {
        return Files.readAllLines(log).stream().filter(l -> l.contains(containing)).toList();
    }

    @Test
    void sigtermDuringA429WaitStopsCleanlyWithTheSummaryAndTheNextRunDeliversTheRest() throws Exception {
        try (SyncHarness h = scheduled(SyncHarness.start(temp))) {
            List<String> expected = Attributes.addMix(h.dataset, 300);
            // the first batch goes through, the second is throttled for ten minutes
            h.standIns.sentinel().enqueue(SentinelFault.delay(Duration.ZERO));
            h.standIns.sentinel().enqueue(SentinelFault.throttled(600, true));
            Path log = temp.resolve("child.log");
            Process child = ChildProcess.launch(h, log);

            await().atMost(Duration.ofSeconds(120)).until(() -> h.standIns.sentinel().throttledCount() == 1
                    || !child.isAlive());
            assertThat(child.isAlive()).as("child still running; its log: %s", log).isTrue();
            child.destroy();

            assertThat(child.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).as("child stopped; log %s", log).isTrue();
            assertThat(child.exitValue()).as("exit status; its log:\n%s", Files.readString(log)).isZero();
            assertThat(lines(log, "stopping: waiting")).hasSize(1)
                    .allSatisfy(l -> assertThat(l).contains("shutdown.settle-seconds"));
            assertThat(lines(log, "cycle INCOMPLETE")).hasSize(1);
            assertThat(lines(log, "Failed delivery for")).isEmpty();
            assertThat(h.standIns.sentinel().acceptedCount()).isEqualTo(100);

            h.set("schedule.enabled", "false");
            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            assertThat(h.standIns.sentinel().acceptedIds())
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(Attributes::indicatorId).toList());
            assertThat(h.standIns.sentinel().duplicateUploads()).isZero();
        }
    }

    @Test
    void sigtermWhileSentinelTakesABatchRecordsItSoItIsNotSentAgain() throws Exception {
        try (SyncHarness h = scheduled(SyncHarness.start(temp))) {
            List<String> expected = Attributes.addMix(h.dataset, 300);
            // Sentinel takes its time with the first batch, well within shutdown.settle-seconds
            h.standIns.sentinel().enqueue(SentinelFault.delay(Duration.ofSeconds(2)));
            Path log = temp.resolve("child.log");
            Process child = ChildProcess.launch(h, log);

            await().atMost(Duration.ofSeconds(120)).until(() -> h.standIns.sentinel().pendingFaults() == 0
                    || !child.isAlive());
            assertThat(child.isAlive()).as("child still running; its log: %s", log).isTrue();
            child.destroy();

            assertThat(child.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).as("child stopped; log %s", log).isTrue();
            assertThat(child.exitValue()).as("exit status; its log:\n%s", Files.readString(log)).isZero();
            h.set("schedule.enabled", "false");
            h.runCycle();

            assertThat(h.standIns.sentinel().acceptedIds())
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(Attributes::indicatorId).toList());
            assertThat(h.standIns.sentinel().duplicateUploads()).isZero();
        }
    }
}
