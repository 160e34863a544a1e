package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.DeadLetters;
import org.mispsentinel.standin.SentinelFault;

class RejectionTest {

    @TempDir
    Path temp;

    private static boolean isHost10(JsonNode indicator) {
        return indicator.path("pattern").asText().contains("'host10.example.org'");
    }

    @Test
    void recordsRefusedInA200GoToTheDeadLetterFileWithTheirErrorAndTheRestIsDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 30);
            h.standIns.sentinel().rejectRecordsMatching(RejectionTest::isHost10);

            CycleReport report = h.runCycle();

            assertThat(report.deadLettered()).isEqualTo(1);
            assertThat(report.delivered()).isEqualTo(expected.size() - 1);
            assertThat(report.exitCode()).isEqualTo(1);
            List<String> lines = Files.readAllLines(h.stateDir.resolve(DeadLetters.FILE_NAME));
            assertThat(lines).hasSize(1);
            JsonNode entry = new ObjectMapper().readTree(lines.get(0));
            assertThat(entry.path("object").path("pattern").asText()).contains("host10.example.org");
            assertThat(entry.path("error").asText()).isNotBlank();
            assertThat(entry.path("attributeUuid").asText()).isNotBlank();
        }
    }

    @Test
    void batchRefusedWholeIsSplitSoOnlyTheBadIndicatorIsDeadLettered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 140);
            h.standIns.sentinel().rejectBatchesContaining(RejectionTest::isHost10);

            CycleReport report = h.runCycle();

            assertThat(report.deadLettered()).isEqualTo(1);
            assertThat(h.standIns.sentinel().acceptedCount()).isEqualTo(expected.size() - 1);
            assertThat(Files.readAllLines(h.stateDir.resolve(DeadLetters.FILE_NAME))).singleElement()
                    .asString().contains("host10.example.org");
        }
    }

    @Test
    void missingSentinelRoleStopsTheCycleWithAMessageNamingTheRole() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 250);
            h.standIns.sentinel().enqueue(SentinelFault.forbidden());

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("Microsoft Sentinel Contributor"));
            assertThat(h.standIns.sentinel().requests()).isEqualTo(1);
            assertThat(report.checkpointAfter()).isEmpty();
        }
    }
}
