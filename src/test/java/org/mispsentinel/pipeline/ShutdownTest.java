package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.SentinelFault;

class ShutdownTest {

    @TempDir
    Path temp;

    @Test
    void batchSentinelAcceptsWhileTheApplicationStopsIsRecordedAndNotSentAgain() throws Exception {
        ExecutorService cycleThread = Executors.newSingleThreadExecutor();
        try (SyncHarness h = SyncHarness.start(temp)) {
            // Camel gives up waiting for the cycle long before Sentinel answers
            h.set("camel.main.shutdown-timeout", "1");
            h.runCycle();
            List<String> expected = Attributes.addMix(h.dataset, 40);
            h.standIns.sentinel().enqueue(SentinelFault.delay(Duration.ofSeconds(3)));
            Future<CycleReport> stopped = cycleThread.submit(h::runCycle);
            await().atMost(Duration.ofSeconds(60)).until(() -> h.standIns.sentinel().requests() == 1);

            h.stopApplication();
            CycleReport afterRestart = h.runCycle();

            assertThat(afterRestart.indicators()).isZero();
            assertThat(h.standIns.sentinel().requests()).isEqualTo(1);
            assertThat(expected).allSatisfy(uuid -> assertThat(
                    h.standIns.sentinel().uploadCount(Attributes.indicatorId(uuid))).isEqualTo(1));
            stopped.cancel(true);
        } finally {
            cycleThread.shutdownNow();
        }
    }
}
