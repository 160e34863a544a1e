package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mispsentinel.observe.BuildInfo;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.MispAttributes;

class MetricsTest {

    @TempDir
    Path temp;

    @Test
    void metricsEndpointCountsWhatTheCycleDidInDomainSeries() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            ManagementServer management = ManagementServer.enable(h);
            List<String> detections = Attributes.addMix(h.dataset, 120);
            h.dataset.add(MispAttributes.attribute("text", "free text").toIds(true).timestamp(Attributes.T0));
            h.dataset.add(MispAttributes.attribute("x-acme-ticket", "T-1").toIds(true).timestamp(Attributes.T0));

            CycleReport report = h.runCycle();
            ManagementServer.Answer metrics = management.get("/observe/metrics");

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(report.delivered()).isEqualTo(detections.size());
            assertThat(metrics.body())
                    .contains("misp_sentinel_attributes_fetched_total " + (double) report.fetched())
                    .contains("misp_sentinel_indicators_delivered_total{workspace=\"default\"} " + (double) detections.size())
                    .contains("misp_sentinel_batches_total{workspace=\"default\"} " + (double) report.batches())
                    .contains("misp_sentinel_skipped_total{reason=\"not-a-pattern\",type=\"text\",workspace=\"default\"} 1.0")
                    .contains("misp_sentinel_skipped_total{reason=\"unknown-type\",type=\"other\",workspace=\"default\"} 1.0")
                    .contains("misp_sentinel_dead_lettered_total{workspace=\"default\"} 0.0", "misp_sentinel_refused_total{workspace=\"default\"} 0.0",
                            "misp_sentinel_retries_total 0.0", "misp_sentinel_throttled_total{workspace=\"default\"} 0.0")
                    .contains("misp_sentinel_token_renewals_total 1.0")
                    .contains("misp_sentinel_build_info{camel_version=\"" + BuildInfo.camelVersion() + "\",version=\""
                            + org.mispsentinel.VersionTest.pomVersion() + "\"} 1")
                    .contains("misp_sentinel_cycles_total{outcome=\"complete\"} 1.0",
                            "misp_sentinel_cycles_total{outcome=\"incomplete\"} 0.0")
                    .contains("misp_sentinel_misp_request_seconds_count " + report.pages())
                    .contains("misp_sentinel_sentinel_request_seconds_count " + report.batches())
                    .contains("misp_sentinel_last_successful_cycle_timestamp_seconds{workspace=\"default\"} ",
                            "misp_sentinel_checkpoint_age_seconds{workspace=\"default\"} ", "misp_sentinel_dead_letter_file_bytes{workspace=\"default\"} 0.0")
                    .doesNotContain("misp_sentinel_last_successful_cycle_timestamp_seconds{workspace=\"default\"} NaN")
                    // Camel's per-route series cost a formatted meter name per exchange: on only when asked for
                    .doesNotContain("camel_exchanges_total");
            assertThat(metrics.body()).doesNotContain(h.settings().getProperty("misp.api-key"))
                    .doesNotContain(h.settings().getProperty("azure.client-secret"));
        }
    }

    @Test
    void camelsRouteSeriesJoinWhenTheirRoutePolicyIsTurnedOn() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("camel.metrics.enableRoutePolicy", "true");
            ManagementServer management = ManagementServer.enable(h);
            Attributes.addMix(h.dataset, 8);

            h.runCycle();

            assertThat(management.get("/observe/metrics").body())
                    .contains("camel_exchanges_total{", "misp_sentinel_attributes_fetched_total 8.0");
        }
    }
}
