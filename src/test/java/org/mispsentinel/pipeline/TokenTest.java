package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;

class TokenTest {

    @TempDir
    Path temp;

    @Test
    void oneTokenServesManyBatchesAndCycles() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 700);
            h.runCycle();
            Attributes.addMix(h.dataset, 0);

            h.runCycle();

            assertThat(h.standIns.sentinel().requests()).isGreaterThan(5);
            assertThat(h.standIns.entra().tokenRequests()).isEqualTo(1);
        }
    }

    @Test
    void tokenThatExpiresMidRunIsReplacedAndTheBatchStillDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 20);
            h.runCycle();
            h.standIns.tokens().expireAll();
            h.dataset.add(org.mispsentinel.standin.MispAttributes.attribute("domain", "later.example.org")
                    .toIds(true).timestamp(Attributes.T0 + 10_000));

            CycleReport second = h.runCycle();

            assertThat(second.exitCode()).isZero();
            assertThat(second.delivered()).isEqualTo(1);
            assertThat(h.standIns.entra().tokenRequests()).isEqualTo(2);
        }
    }

    @Test
    void wrongClientSecretGivesOneClearMessageWithoutTheSecret() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("azure.client-secret", "wrong-secret-value");
            Attributes.addMix(h.dataset, 250);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.problems()).singleElement().asString()
                    .contains("Entra ID refused the client credentials").contains("invalid_client")
                    .doesNotContain("wrong-secret-value");
            assertThat(h.standIns.entra().tokenRequests()).isEqualTo(1);
        }
    }
}
