package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.SentinelFault;

class ThrottlingTest {

    @TempDir
    Path temp;

    @Test
    void tooManyRequestsWithRetryAfterHeaderIsRetriedNoSoonerThanAsked() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 40);
            h.standIns.sentinel().enqueue(SentinelFault.throttled(1, true));

            CycleReport report = h.runCycle();

            assertThat(report.throttled()).isEqualTo(1);
            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.sentinel().acceptedCount()).isEqualTo(expected.size());
            assertThat(h.standIns.sentinel().throttledCount()).isEqualTo(1);
            assertThat(h.standIns.sentinel().earlyRetries()).isZero();
        }
    }

    @Test
    void tooManyRequestsWithOnlySecondsInTheMessageIsRetriedNoSoonerThanAsked() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 40);
            h.standIns.sentinel().enqueue(SentinelFault.throttled(1, false));

            CycleReport report = h.runCycle();

            assertThat(report.throttled()).isEqualTo(1);
            assertThat(h.standIns.sentinel().acceptedCount()).isEqualTo(expected.size());
            assertThat(h.standIns.sentinel().earlyRetries()).isZero();
        }
    }
}
