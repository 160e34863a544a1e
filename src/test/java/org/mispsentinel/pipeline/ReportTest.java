package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.DeadLetters;
import org.mispsentinel.launcher.Launcher;
import org.mispsentinel.standin.AdjustableClock;
import org.mispsentinel.standin.MispAttributes;

/**
 * {@code --report} after real cycles: what the state says Sentinel holds is what the stand-in
 * Sentinel holds, counted from its stored indicators, both while the application runs (its summary)
 * and once it has stopped (the state file itself).
 */
class ReportTest {

    private static final long DAY = 86_400L;
    private static final long T0 = Attributes.T0;

    @TempDir
    Path temp;

    private final ObjectMapper json = new ObjectMapper();

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static MispAttributes.Builder attribute(int id, String type, String value) {
        return MispAttributes.attribute(type, value).id(id).uuid(uuid("report-" + id)).toIds(true).timestamp(T0 + id);
    }

    @Test
    void reportCountsWhatSentinelHoldsWhileRunningAndFromTheStoreOnceStopped() throws Exception {
        AdjustableClock clock = new AdjustableClock(Instant.ofEpochSecond(T0 + DAY));
        try (SyncHarness h = SyncHarness.start(temp)) {
            // ip 10 days, domains 30, file hashes without valid_until
            h.set("misp.indicator-ttl-days", "30").set("stix.ttl-days.ip", "10").set("stix.ttl-days.file-hash", "0")
                    .clock(clock);
            for (int i = 1; i <= 4; i++) {
                h.dataset.add(attribute(i, "ip-dst", "198.51.100." + i));
                h.dataset.add(attribute(10 + i, "domain", "host" + i + ".example.org"));
            }
            h.dataset.add(attribute(21, "sha256", "%064x".formatted(21)));
            h.dataset.add(attribute(22, "domain|ip", "pair.example.org|203.0.113.22"));
            h.dataset.add(attribute(23, "domain", "refused.example.org"));
            h.standIns.sentinel().rejectRecordsMatching(i -> i.path("pattern").asText().contains("refused.example.org"));

            CycleReport first = h.runCycle();
            assertThat(first.deadLettered()).isEqualTo(1);

            // four days on, the ip indicators (valid 10 days) expire within 7; a domain is withdrawn
            clock.set(Instant.ofEpochSecond(T0 + 5 * DAY));
            h.dataset.add(attribute(11, "domain", "host1.example.org").deleted(true).timestamp(T0 + 100));
            CycleReport second = h.runCycle();
            assertThat(second.revoked()).isEqualTo(1);
            assertThat(second.clean()).isTrue();

            Held sentinel = held(h.standIns.sentinel().accepted().values(), clock.instant().getEpochSecond());
            assertThat(sentinel.expiring).as("the scenario has expiring indicators").isEqualTo(5);
            assertThat(sentinel.revoked).isEqualTo(1);

            JsonNode running = workspace(report(h, clock, "--report", "--json"));
            assertThat(running.path("source").asText()).isEqualTo("summary");
            assertThat(running.path("as_of").asText()).isEqualTo(clock.instant().toString());
            assertMatches(running, sentinel, h, second, clock.instant());

            h.stopApplication();
            JsonNode stopped = workspace(report(h, clock, "--report", "--json"));
            assertThat(stopped.path("source").asText()).isEqualTo("store");
            assertMatches(stopped, sentinel, h, second, clock.instant());

            String text = report(h, clock, "--report");
            assertThat(text).contains("workspace default")
                    .containsPattern("active now +" + sentinel.active + "\n")
                    .containsPattern("revoked +1\n")
                    .containsPattern("expiring in 7 days +5\n")
                    .containsPattern("dead-lettered +1\n")
                    .contains("last successful cycle  " + clock.instant());
        }
    }

    @Test
    void stateNeverWrittenIsSaidPlainlyAndExitsOne() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Launcher.run(new String[] {"--report"}, h.settings(), AdjustableClock.startingNow(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            // a wrong state.dir must not read as a workspace that holds nothing
            assertThat(exit).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("no state in " + h.stateDir)
                    .contains("STATE_DIR");
            assertThat(h.standIns.misp().requestCount()).isZero();
            assertThat(h.standIns.sentinel().requests()).isZero();
            assertThat(h.standIns.entra().tokenRequests()).isZero();
        }
    }

    private void assertMatches(JsonNode w, Held sentinel, SyncHarness h, CycleReport last, Instant end)
            throws Exception {
        assertThat(w.path("delivered").asLong()).isEqualTo(h.standIns.sentinel().acceptedUploads());
        assertThat(w.path("revocations_delivered").asLong()).isEqualTo(1);
        assertThat(w.path("active").asLong()).isEqualTo(sentinel.active);
        assertThat(w.path("revoked").asLong()).isEqualTo(sentinel.revoked);
        assertThat(w.path("expiring_7d").asLong()).isEqualTo(sentinel.expiring);
        assertThat(w.path("dead_lettered").asLong())
                .isEqualTo(Files.readAllLines(h.stateDir.resolve(DeadLetters.FILE_NAME)).size());
        assertThat(w.path("checkpoint").asText())
                .isEqualTo(Instant.ofEpochSecond(last.checkpointAfter().getAsLong()).toString());
        assertThat(w.path("last_successful_cycle").asText()).isEqualTo(end.toString());
    }

    private String report(SyncHarness h, java.time.Clock clock, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Launcher.run(args, h.settings(), clock, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private JsonNode workspace(String document) throws Exception {
        JsonNode workspaces = json.readTree(document).path("workspaces");
        assertThat(workspaces).hasSize(1);
        return workspaces.get(0);
    }

    /** The stand-in's stored indicators, counted as the report counts them at {@code now}. */
    private static Held held(Collection<JsonNode> stored, long now) {
        Held held = new Held();
        for (JsonNode indicator : stored) {
            if (!indicator.path("type").asText().equals("indicator")) {
                continue;
            }
            if (indicator.path("revoked").asBoolean()) {
                held.revoked++;
                continue;
            }
            long until = indicator.has("valid_until")
                    ? Instant.parse(indicator.path("valid_until").asText()).getEpochSecond() : Long.MAX_VALUE;
            if (until > now) {
                held.active++;
            }
            if (until > now && until <= now + Duration.ofDays(7).toSeconds()) {
                held.expiring++;
            }
        }
        return held;
    }

    private static final class Held {
        long active;
        long revoked;
        long expiring;
    }
}
