package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.config.Settings;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.SentinelStandIn;

/**
 * Which API the product talks to, and where. The stand-in refuses a path Microsoft does not
 * document on the host it plays, so these tests fail if a default pairs a path with a host that
 * does not serve it.
 */
class StixObjectsApiTest {

    @TempDir
    Path temp;

    /** The host the product picks when only the required settings (and maybe sentinel.api) are given. */
    private static String defaultHost(String api) {
        Map<String, String> required = new java.util.HashMap<>(Map.of(
                "misp.url", "https://misp.example.org", "misp.api-key", "key-for-defaults",
                "azure.tenant-id", "contoso.onmicrosoft.com", "azure.client-id", "client",
                "azure.client-secret", "secret-for-defaults",
                "sentinel.workspace-id", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"));
        if (api != null) {
            required.put("sentinel.api", api);
        }
        return URI.create(Settings.load(key -> Optional.ofNullable(required.get(key))).workspaces().get(0).sentinel().apiHost()).getHost();
    }

    @Test
    void defaultApiIsTheStixObjectsApiOnTheHostMicrosoftDocumentsForIt() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.unset("sentinel.api").set("sentinel.api-host", h.standIns.sentinel().apiHost(defaultHost(null)));
            List<String> expected = Attributes.addMix(h.dataset, 40);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.sentinel().uploads()).isNotEmpty()
                    .allSatisfy(u -> assertThat(u.endpoint()).isEqualTo(SentinelStandIn.Endpoint.STIX_OBJECTS));
            assertThat(h.standIns.sentinel().acceptedIds())
                    .containsAll(expected.stream().map(Attributes::indicatorId).toList());
        }
    }

    @Test
    void legacySettingUploadsThroughTheUploadIndicatorsApiOnItsDocumentedHost() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.api", "indicators")
                    .set("sentinel.api-host", h.standIns.sentinel().apiHost(defaultHost("indicators")));
            Attributes.addMix(h.dataset, 40);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.sentinel().uploads()).isNotEmpty()
                    .allSatisfy(u -> assertThat(u.endpoint()).isEqualTo(SentinelStandIn.Endpoint.INDICATORS));
        }
    }

    @Test
    void legacyPathOnTheStixObjectsHostStopsTheCycleNamingTheHostSettingAndDeadLettersNothing() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.api", "indicators")
                    .set("sentinel.api-host", h.standIns.sentinel().apiHost("api.ti.sentinel.azure.com"));
            Attributes.addMix(h.dataset, 250);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.deadLettered()).isZero();
            assertThat(report.delivered()).isZero();
            assertThat(report.checkpointAfter()).isEmpty();
            assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("sentinel.api-host"));
            assertThat(h.standIns.sentinel().acceptedCount()).isZero();
        }
    }
}
