package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.SentinelStandIn;

class StixObjectsApiTest {

    @TempDir
    Path temp;

    @Test
    void stixObjectsSettingUploadsThroughTheStixObjectsEndpoint() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.api", "stix-objects");
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
    void defaultUploadsThroughTheUploadIndicatorsEndpoint() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 40);

            h.runCycle();

            assertThat(h.standIns.sentinel().uploads()).isNotEmpty()
                    .allSatisfy(u -> assertThat(u.endpoint()).isEqualTo(SentinelStandIn.Endpoint.INDICATORS));
        }
    }
}
