package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.standin.SentinelFault;

class ReadinessTest {

    @TempDir
    Path temp;

    @Test
    void readinessIsDownWithTheReasonAfterSentinelFailedForTheConfiguredCyclesAndUpAgainAfterRecovery()
            throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            ManagementServer management = sentinelFailing(h, 2);

            h.runCycle();
            ManagementServer.Answer afterOneFailure = management.get("/observe/health/ready");
            h.runCycle();
            ManagementServer.Answer afterTwo = management.get("/observe/health/ready");

            assertThat(afterOneFailure.status()).isEqualTo(200);
            assertThat(afterTwo.status()).isEqualTo(503);
            assertThat(afterTwo.body()).contains("\"status\":\"DOWN\"", "Sentinel failed in the last 2 cycles", "503")
                    .doesNotContain(h.settings().getProperty("azure.client-secret"))
                    .doesNotContain(h.settings().getProperty("misp.api-key"));

            h.runCycle();
            ManagementServer.Answer recovered = management.get("/observe/health/ready");

            assertThat(recovered.status()).isEqualTo(200);
            assertThat(recovered.body()).contains("\"status\":\"UP\"").doesNotContain("Sentinel failed");
        }
    }

    @Test
    void livenessStaysUpWhileSentinelFails() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            ManagementServer management = sentinelFailing(h, 1);

            h.runCycle();

            assertThat(management.get("/observe/health/ready").status()).isEqualTo(503);
            assertThat(management.get("/observe/health/live").status()).isEqualTo(200);
        }
    }

    /** Sentinel answers 503 in the next {@code cycles} cycles, which is as many as readiness allows. */
    private static ManagementServer sentinelFailing(SyncHarness h, int cycles) {
        ManagementServer management = ManagementServer.enable(h);
        h.set("health.failed-cycles", Integer.toString(cycles)).set("sentinel.max-retries", "0");
        Attributes.addMix(h.dataset, 20);
        h.standIns.sentinel().enqueue(SentinelFault.serverError(503), cycles);
        return management;
    }
}
