package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.launcher.Launcher;
import org.mispsentinel.state.RealPostgres;

/** The real application and routes with state.store=postgresql, against the stand-ins. */
class PostgresStateTest {

    @RegisterExtension
    static final RealPostgres.Database DB = RealPostgres.database();

    @TempDir
    Path temp;

    private SyncHarness harness(String dir) {
        return SyncHarness.start(temp.resolve(dir))
                .set("state.store", "postgresql")
                .set("state.jdbc-url", DB.jdbcUrl())
                .set("state.jdbc-user", DB.user())
                .set("state.jdbc-password", DB.password());
    }

    @Test
    void aCycleDeliversEachAttributeOnceAndAnInstanceWithAnEmptyStateDirResumesFromTheDatabase() throws Exception {
        try (SyncHarness h = harness("first")) {
            List<String> expected = Attributes.addMix(h.dataset, 150);

            CycleReport first = h.runCycle();

            assertThat(first.exitCode()).isZero();
            assertThat(first.delivered()).isEqualTo(expected.size());
            assertThat(expected).allSatisfy(uuid ->
                    assertThat(h.standIns.sentinel().uploadCount(Attributes.indicatorId(uuid))).isEqualTo(1));
            h.assertCheckpointMovedToTheRead(first);
            assertThat(rows("delivered")).isEqualTo(expected.size());
            int requests = h.standIns.sentinel().requests();
            h.stopApplication();
            // another instance, on another disk: all it knows is in the database
            h.set("state.dir", temp.resolve("other-instance").toString());
            Attributes.addMix(h.dataset, 160);

            CycleReport second = h.runCycle();

            assertThat(second.checkpointBefore()).isEqualTo(first.checkpointAfter());
            assertThat(second.exitCode()).isZero();
            assertThat(h.standIns.sentinel().requests() - requests).as("only the new attributes").isEqualTo(1);
            assertThat(h.standIns.sentinel().acceptedIds()).hasSize(Attributes.addMix(
                    new org.mispsentinel.standin.InMemoryMispDataset(), 160).size());
        }
    }

    @Test
    void aCycleWhileTheDatabaseIsAwayFailsLosesNothingTurnsReadinessDownAndTheNextOneDeliversOnceItIsBack()
            throws Exception {
        try (SyncHarness h = harness("outage")) {
            ManagementServer management = ManagementServer.enable(h);
            Attributes.addMix(h.dataset, 40);
            CycleReport before = h.runCycle();
            assertThat(before.exitCode()).isZero();
            long committed = rows("delivered");
            String checkpoint = checkpoint();
            List<String> expected = Attributes.addMix(h.dataset, 120);

            CycleReport during;
            ManagementServer.Answer ready;
            DB.server().stop();
            try {
                during = h.runCycle();
                ready = management.get("/observe/health/ready");
            } finally {
                DB.server().start();
            }

            assertThat(during.exitCode()).isNotZero();
            assertThat(String.join("\n", during.problems())).contains("could not be committed to PostgreSQL",
                    "nothing of this commit was kept").doesNotContain(DB.password());
            assertThat(during.checkpointAfter()).isEqualTo(before.checkpointAfter());
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains("DOWN");
            assertThat(rows("delivered")).as("nothing committed while the database was away").isEqualTo(committed);
            assertThat(checkpoint()).isEqualTo(checkpoint);

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            assertThat(h.standIns.sentinel().acceptedIds())
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(Attributes::indicatorId).toList());
            assertThat(rows("delivered")).isEqualTo(expected.size());
            assertThat(checkpoint()).isNotEqualTo(checkpoint);
            assertThat(management.get("/observe/health/ready").status()).isEqualTo(200);
        }
    }

    @Test
    void reportAndCheckShowWhatTheDatabaseHoldsAndWhichInstanceOwnsTheWorkspaceAndADryRunWritesNothing()
            throws Exception {
        try (SyncHarness h = harness("operations")) {
            h.set("state.instance-id", "instance-a");
            List<String> expected = Attributes.addMix(h.dataset, 40);
            h.runCycle();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = Launcher.run(new String[] {"--report", "--json"}, h.settings(), Clock.systemUTC(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
            JsonNode workspace = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).path("workspaces").get(0);

            assertThat(exit).isZero();
            assertThat(workspace.path("delivered").asLong()).isEqualTo(expected.size());
            assertThat(workspace.path("owner").asText()).isEqualTo("instance-a");
            assertThat(workspace.path("checkpoint").isNull()).isFalse();

            ByteArrayOutputStream checked = new ByteArrayOutputStream();
            Launcher.run(new String[] {"--check"}, h.settings(), Clock.systemUTC(),
                    new PrintStream(checked, true, StandardCharsets.UTF_8), System.err);
            assertThat(checked.toString(StandardCharsets.UTF_8)).contains("state database", "answers",
                    "schema version 1", "default by instance-a").doesNotContain(DB.password());

            Attributes.addMix(h.dataset, 80);
            String stateBefore = dump();
            int dryRun = Launcher.run(new String[] {"--dry-run"}, h.settings(), Clock.systemUTC(),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err);
            assertThat(dryRun).isZero();
            assertThat(dump()).as("rows, owners, dead letters").isEqualTo(stateBefore);
        }
    }

    /** Everything the product keeps in the database. */
    private static String dump() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = DB.connect()) {
            for (String query : List.of("SELECT workspace, map, k, v FROM misp_sentinel_state ORDER BY 1, 2, 3",
                    "SELECT workspace, epoch, instance, claimed_at FROM misp_sentinel_owner ORDER BY 1",
                    "SELECT workspace, id, entry, replaying FROM misp_sentinel_dead_letter ORDER BY 1, 2")) {
                try (ResultSet r = c.createStatement().executeQuery(query)) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        for (int i = 1; i <= columns; i++) {
                            out.append(r.getString(i)).append('|');
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private static long rows(String map) throws Exception {
        try (Connection c = DB.connect();
             var s = c.prepareStatement("SELECT count(*) FROM misp_sentinel_state WHERE map = ?")) {
            s.setString(1, map);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String checkpoint() throws Exception {
        try (Connection c = DB.connect();
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT v FROM misp_sentinel_state WHERE map = 'meta' AND k = 'smisp.checkpoint'")) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
