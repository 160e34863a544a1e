package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.DeadLetters;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.SentinelFault;

class ReplayTest {

    @TempDir
    Path temp;

    private static boolean isHost10(JsonNode indicator) {
        return indicator.path("pattern").asText().contains("'host10.example.org'");
    }

    private static boolean isHost13(JsonNode indicator) {
        return indicator.path("pattern").asText().contains("'host13.example.org'");
    }

    private static List<String> deadLetters(SyncHarness h) throws Exception {
        Path file = h.stateDir.resolve(DeadLetters.FILE_NAME);
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    /** A cycle over 30 attributes in which Sentinel refuses the one for host10. */
    private static CycleReport deadLetterHost10(SyncHarness h) throws Exception {
        Attributes.addMix(h.dataset, 30);
        h.standIns.sentinel().rejectRecordsMatching(ReplayTest::isHost10);
        return h.runCycle();
    }

    @Test
    void replaySendsDeadLettersAgainAndRemovesWhatWasAccepted() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            deadLetterHost10(h);
            assertThat(deadLetters(h)).hasSize(1);
            h.standIns.sentinel().clearRules();

            CycleReport replay = h.replayDeadLetters();

            assertThat(replay.delivered()).isEqualTo(1);
            assertThat(replay.exitCode()).isZero();
            assertThat(deadLetters(h)).isEmpty();
            assertThat(h.standIns.sentinel().acceptedIds()).anyMatch(id -> h.standIns.sentinel().acceptedObject(id)
                    .map(ReplayTest::isHost10).orElse(false));
        }
    }

    @Test
    void replayKeepsWhatIsStillRefusedWithTheNewError() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 30);
            h.standIns.sentinel().rejectRecordsMatching(i -> isHost10(i) || isHost13(i));
            h.runCycle();
            h.standIns.sentinel().clearRules();
            h.standIns.sentinel().rejectRecordsMatching(ReplayTest::isHost13);

            CycleReport replay = h.replayDeadLetters();

            assertThat(replay.delivered()).isEqualTo(1);
            assertThat(replay.deadLettered()).isEqualTo(1);
            assertThat(replay.exitCode()).isEqualTo(1);
            assertThat(deadLetters(h)).singleElement().asString().contains("host13.example.org");
        }
    }

    @Test
    void replayDuringAnOutageLosesNoDeadLetter() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.max-retries", "1");
            deadLetterHost10(h);
            h.standIns.sentinel().clearRules();
            h.standIns.sentinel().enqueue(SentinelFault.serverError(503), 2);

            CycleReport failed = h.replayDeadLetters();

            assertThat(failed.failed()).isEqualTo(1);
            assertThat(deadLetters(h)).singleElement().asString().contains("host10.example.org");
            assertThat(h.replayDeadLetters().delivered()).isEqualTo(1);
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void replayNeverMovesTheCheckpoint() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            CycleReport cycle = deadLetterHost10(h);
            h.standIns.sentinel().clearRules();

            CycleReport replay = h.replayDeadLetters();

            assertThat(replay.checkpointAfter()).isEqualTo(cycle.checkpointAfter());
        }
    }

    private static boolean isLate(JsonNode indicator) {
        return indicator.path("pattern").asText().contains("'late.example.org'");
    }

    @Test
    void tornLastLineCostsOnlyThatEntryAndNeverBlocksAReplay() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            deadLetterHost10(h);
            Path file = h.stateDir.resolve(DeadLetters.FILE_NAME);
            // kill -9 in the middle of a write: the last line ends half-way
            byte[] whole = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
            h.dataset.add(MispAttributes.attribute("domain", "late.example.org")
                    .uuid(UUID.nameUUIDFromBytes("late".getBytes()).toString()).toIds(true).timestamp(Attributes.T0 + 100));
            h.standIns.sentinel().rejectRecordsMatching(ReplayTest::isLate);
            h.runCycle();
            h.standIns.sentinel().clearRules();

            CycleReport replay = h.replayDeadLetters();

            assertThat(replay.delivered()).isEqualTo(1);
            assertThat(replay.exitCode()).isZero();
            assertThat(h.standIns.sentinel().acceptedObject(
                    Attributes.indicatorId(UUID.nameUUIDFromBytes("late".getBytes()).toString()))).isPresent();
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void replayThatCannotWriteWhatIsStillRefusedKeepsItsInput() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            deadLetterHost10(h);
            Path file = h.stateDir.resolve(DeadLetters.FILE_NAME);
            h.standIns.sentinel().clearRules();
            // once the replay has taken the file, its place is blocked (as a full disk would block it)
            h.standIns.sentinel().rejectRecordsMatching(indicator -> {
                try {
                    Files.createDirectories(file);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return isHost10(indicator);
            });

            h.replayDeadLetters();
            assertThat(Files.readString(h.stateDir.resolve("dead-letters.replaying.jsonl"))).contains("host10.example.org");
            Files.delete(file);
            h.standIns.sentinel().clearRules();
            CycleReport second = h.replayDeadLetters();

            assertThat(second.delivered()).isEqualTo(1);
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void aDeadLetterAReplayGotAcceptedIsRefreshedAndRevocableLikeAnyDelivery() throws Exception {
        long day = 86_400L;
        String uuid = UUID.nameUUIDFromBytes("replayed-ip".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        String id = Attributes.indicatorId(uuid);
        org.mispsentinel.standin.AdjustableClock clock =
                new org.mispsentinel.standin.AdjustableClock(java.time.Instant.ofEpochSecond(Attributes.T0 + day));
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.indicator-ttl-days", "10").set("refresh.lead-days", "3").clock(clock);
            h.dataset.add(MispAttributes.attribute("ip-dst", "198.51.100.77").id(1).uuid(uuid).toIds(true)
                    .timestamp(Attributes.T0));
            h.standIns.sentinel().rejectRecordsMatching(i -> i.path("pattern").asText().contains("198.51.100.77"));
            h.runCycle();
            assertThat(deadLetters(h)).hasSize(1);
            h.standIns.sentinel().clearRules();
            assertThat(h.replayDeadLetters().delivered()).isEqualTo(1);
            String replayed = h.standIns.sentinel().acceptedObject(id).orElseThrow().path("valid_until").asText();

            clock.set(java.time.Instant.ofEpochSecond(Attributes.T0 + 8 * day));
            CycleReport refresh = h.runCycle();

            assertThat(refresh.refreshed()).as("in the inventory, so refreshed").isEqualTo(1);
            assertThat(h.standIns.sentinel().acceptedObject(id).orElseThrow().path("valid_until").asText())
                    .isNotEqualTo(replayed).startsWith(java.time.Instant.ofEpochSecond(Attributes.T0 + 18 * day)
                            .toString().substring(0, 19));

            h.dataset.softDelete(1);
            h.dataset.publish("1");
            CycleReport withdrawal = h.runCycle();

            assertThat(withdrawal.revoked()).isEqualTo(1);
            assertThat(h.standIns.sentinel().acceptedObject(id).orElseThrow().path("revoked").asBoolean(false)).isTrue();
        }
    }
}
