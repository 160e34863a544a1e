package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    @Test
    void recordErrorsOfTheStixObjectsApiAreReadUnderTheirOwnListName() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.api", "stix-objects").set("stix.created-by-ref", "false");
            Attributes.addMix(h.dataset, 30);
            h.standIns.sentinel().rejectRecordsMatching(RejectionTest::isHost10);

            CycleReport report = h.runCycle();

            assertThat(report.deadLettered()).isEqualTo(1);
            JsonNode entry = new ObjectMapper().readTree(
                    Files.readAllLines(h.stateDir.resolve(DeadLetters.FILE_NAME)).get(0));
            assertThat(entry.path("error").asText()).contains("stand-in record rule");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"errors\":[{\"errorMessages\":[\"no index\"]}]}",
            "{\"errors\":[{\"recordIndex\":30,\"errorMessages\":[\"out of range\"]}]}",
            "{\"errors\":[{\"recordIndex\":-1,\"validationErrorMessages\":[\"negative\"]}]}",
            "{\"errors\":\"not a list\"}",
            "<html>gateway says ok</html>"})
    void acceptedAnswerThatCannotBeMatchedToTheRecordsCountsNothingAsDeliveredAndSendsTheBatchAgain(String body)
            throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<String> expected = Attributes.addMix(h.dataset, 30);
            h.standIns.sentinel().enqueue(SentinelFault.status(200, body, Map.of()));

            CycleReport during = h.runCycle();

            assertThat(during.delivered()).isZero();
            assertThat(during.deadLettered()).isZero();
            assertThat(during.failed()).isEqualTo(expected.size());
            assertThat(during.checkpointAfter()).isEmpty();

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            assertThat(after.delivered()).isEqualTo(expected.size());
        }
    }

    @Test
    void deadLetteredIndicatorIsSettledAndNotSentAgainByTheNextCycle() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-retries", "0");
            Attributes.addMix(h.dataset, 140);
            h.standIns.sentinel().rejectRecordsMatching(RejectionTest::isHost10);
            // the second batch fails, so the checkpoint stays and the next cycle reads everything again
            h.standIns.sentinel().enqueue(SentinelFault.delay(java.time.Duration.ZERO));
            h.standIns.sentinel().enqueue(SentinelFault.serverError(503));

            CycleReport first = h.runCycle();
            CycleReport second = h.runCycle();

            assertThat(first.checkpointAfter()).isEmpty();
            assertThat(second.deadLettered()).isZero();
            assertThat(Files.readAllLines(h.stateDir.resolve(DeadLetters.FILE_NAME))).hasSize(1);
            assertThat(h.standIns.sentinel().uploads()).filteredOn(u -> u.rejected() > 0).hasSize(1);
        }
    }
}
