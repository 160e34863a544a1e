package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;

/**
 * Certificates are verified unless switched off: the stand-ins' self-signed certificate is trusted
 * only through the trust store the harness writes, never by the JVM's default one.
 */
class TlsVerificationFaultTest {

    @TempDir
    Path temp;

    @Test
    void withoutATrustStoreForTheServersTheCycleFailsClearlyAndNothingIsSent() throws Exception {
        try (LogCapture logs = LogCapture.start(); SyncHarness h = SyncHarness.start(temp)) {
            h.unset("tls.trust-store");
            h.unset("tls.trust-store-password");
            h.set("misp.max-retries", "1");
            Attributes.addMix(h.dataset, 40);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.problems()).singleElement().asString()
                    .containsIgnoringCase("certificat").contains("TLS_TRUST_STORE");
            assertThat(report.fetched()).isZero();
            assertThat(report.checkpointAfter()).isEmpty();
            assertThat(h.standIns.misp().requestCount()).isZero();
            assertThat(h.standIns.entra().tokenRequests()).isZero();
            assertThat(h.standIns.sentinel().requests()).isZero();
            assertThat(logs.text()).doesNotContain("TLS CERTIFICATE VERIFICATION IS OFF");
        }
    }

    @Test
    void insecureModeReachesTheServersAndSaysLoudlyThatVerificationIsOff() throws Exception {
        try (LogCapture logs = LogCapture.start(); SyncHarness h = SyncHarness.start(temp)) {
            h.unset("tls.trust-store");
            h.unset("tls.trust-store-password");
            h.set("tls.insecure", "true");
            List<String> expected = Attributes.addMix(h.dataset, 40);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            h.assertCheckpointMovedToTheRead(report);
            assertThat(h.standIns.sentinel().acceptedIds())
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(Attributes::indicatorId).toList());
            assertThat(logs.events()).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("TLS CERTIFICATE VERIFICATION IS OFF");
            });
        }
    }
}
