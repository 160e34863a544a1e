package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.SentinelFault;

class ProgressTest {

    @TempDir
    Path temp;

    @Test
    void longCycleLogsPagesAttributesDeliveredRateAndTimeLeftAtTheConfiguredInterval() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp);
             LogCapture logs = LogCapture.start().level("org.mispsentinel", Level.INFO)) {
            h.set("progress.interval-ms", "50").set("sentinel.batch-size", "20");
            List<String> detections = Attributes.addMix(h.dataset, 80);
            // a slow Sentinel keeps the cycle going after MISP is read, as a backlog behind the limit does
            h.standIns.sentinel().enqueue(SentinelFault.delay(Duration.ofMillis(1500)), 3);

            CompletableFuture<CycleReport> cycle = CompletableFuture.supplyAsync(() -> {
                try {
                    return h.runCycle();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> progressLines(logs).stream()
                    .anyMatch(l -> l.contains(" eta=") && !l.contains("unknown")));
            CycleReport report = cycle.join();

            assertThat(report.delivered()).isEqualTo(detections.size());
            assertThat(progressLines(logs)).allSatisfy(l -> assertThat(l)
                    .containsPattern("pages=\\d+ attributes=\\d+ delivered=\\d+ rate=[0-9.]+/s"));
            assertThat(progressLines(logs)).anySatisfy(l -> assertThat(l)
                    .containsPattern("attributes=80 delivered=\\d+ rate=[0-9.]+/s left=\\d+ eta=\\d+s"));
        }
    }

    private static List<String> progressLines(LogCapture logs) {
        return logs.lines().stream().filter(l -> l.contains("cycle progress:")).toList();
    }
}
