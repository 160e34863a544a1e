package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.StandInTls;

class MutualTlsTest {

    @TempDir
    Path temp;

    @Test
    void mispBehindMutualTlsIsReadWithTheConfiguredClientCertificate() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp, b -> b.mispClientCertificate(true))) {
            List<String> expected = Attributes.addMix(h.dataset, 20);
            h.set("misp.client-certificate-path", StandInTls.writeKeyStore(temp).toString());
            h.set("misp.client-certificate-password", "standin");

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.sentinel().acceptedCount()).isEqualTo(expected.size());
        }
    }

    @Test
    void mispBehindMutualTlsWithoutAClientCertificateFailsTheCycle() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp, b -> b.mispClientCertificate(true))) {
            h.set("misp.max-retries", "0");
            Attributes.addMix(h.dataset, 20);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.problems()).singleElement().asString().startsWith("reading MISP failed: ");
            assertThat(h.standIns.sentinel().requests()).isZero();
        }
    }
}
