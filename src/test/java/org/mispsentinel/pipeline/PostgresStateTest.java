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

    /** A database of each test's own: the state of one test's workspaces is no other's. */
    private static String database;

    @org.junit.jupiter.api.BeforeEach
    void freshDatabase() {
        database = DB.server().createDatabase("postgres_state_test");
    }

    private static Connection connect() throws java.sql.SQLException {
        return DB.server().connect(database);
    }

    private SyncHarness harness(String dir) {
        return SyncHarness.start(temp.resolve(dir))
                .set("state.store", "postgresql")
                .set("state.jdbc-url", DB.server().jdbcUrl(database))
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
    void theHeldAndWaitingContextLiveInTheDatabaseSoAnotherInstanceSendsNeitherAgain() throws Exception {
        String actor = "misp-galaxy:threat-actor=\"APT28\"";
        try (SyncHarness h = harness("context")) {
            h.set("sentinel.api", "stix-objects").set("sentinel.context", "after-indicators").set("sentinel.max-retries", "0");
            for (int i = 0; i < 3; i++) {
                h.dataset.add(org.mispsentinel.standin.MispAttributes.attribute("domain", "c2-" + i + ".example.org")
                        .toIds(true).timestamp(Attributes.T0 + i).eventTag(actor));
            }
            // the indicators go through, the context after them does not
            h.standIns.sentinel().enqueue(org.mispsentinel.standin.SentinelFault.delay(java.time.Duration.ZERO));
            h.standIns.sentinel().enqueue(org.mispsentinel.standin.SentinelFault.serverError(503));
            assertThat(h.runCycle().contextWaiting()).isEqualTo(4);
            assertThat(rows("context-waiting")).isEqualTo(4);
            h.stopApplication();
            h.set("state.dir", temp.resolve("other-instance").toString());

            CycleReport second = h.runCycle();
            h.dataset.add(org.mispsentinel.standin.MispAttributes.attribute("domain", "c2-9.example.org")
                    .toIds(true).timestamp(Attributes.T0 + 9).eventTag(actor));
            CycleReport third = h.runCycle();

            assertThat(second.context()).isEqualTo(4);
            assertThat(third.context()).as("the new indicator's relationship only").isEqualTo(1);
            assertThat(h.standIns.sentinel().contextByType()).containsEntry("threat-actor", 1L)
                    .containsEntry("relationship", 4L);
            assertThat(rows("context-waiting")).isZero();
            assertThat(rows("context-held")).isEqualTo(2);
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

    @Test
    void twoWorkspacesKeepTheirOwnRowsAndADeadLetterInTheDatabaseIsReplayedAndThenGone() throws Exception {
        String beta = java.util.UUID.nameUUIDFromBytes("pg-beta-workspace".getBytes()).toString();
        try (SyncHarness h = harness("fan-out");
             org.mispsentinel.standin.SentinelStandIn betaSentinel = org.mispsentinel.standin.SentinelStandIn.builder()
                     .workspace(beta).tokens(h.standIns.tokens()).start()) {
            h.set("workspaces", "alpha,beta")
                    .set("workspace.beta.sentinel.workspace-id", beta)
                    .set("workspace.beta.sentinel.api-host", betaSentinel.apiHost(
                            org.mispsentinel.standin.SentinelStandIn.Endpoint.INDICATORS.commercialHost()));
            List<String> expected = Attributes.addMix(h.dataset, 30);
            h.standIns.sentinel().rejectRecordsMatching(i -> i.path("pattern").asText().contains("'host10.example.org'"));

            CycleReport cycle = h.runCycle();

            assertThat(cycle.deadLettered()).isEqualTo(1);
            assertThat(betaSentinel.acceptedIds()).hasSize(expected.size());
            // a dead-lettered attribute is settled too: the replay, not the next cycle, sends it again
            assertThat(rows("alpha", "delivered")).isEqualTo(expected.size());
            assertThat(rows("beta", "delivered")).isEqualTo(expected.size());
            assertThat(deadLetters("alpha")).isEqualTo(1);
            assertThat(deadLetters("beta")).isZero();
            h.standIns.sentinel().clearRules();

            CycleReport replay = h.replayDeadLetters();

            assertThat(replay.delivered()).isEqualTo(1);
            assertThat(replay.exitCode()).isZero();
            assertThat(deadLetters("alpha")).isZero();
            assertThat(h.standIns.sentinel().acceptedIds()).hasSize(expected.size());
        }
    }

    @Test
    void aCycleThatReadsAgainAWindowOfAttributesAlreadyDeliveredMakesAFewDatabaseRoundTripsNotOneEach()
            throws Exception {
        try (SyncHarness h = harness("round-trips")) {
            h.set("misp.page-size", "500");
            try (Connection c = connect()) {
                c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
            List<String> expected = Attributes.addMix(h.dataset, 2000);
            resetStatements();

            CycleReport first = h.runCycle();
            long firstSync = statements();
            resetStatements();
            CycleReport reRead = h.runCycle();
            long window = statements();

            System.out.printf("database statements: start and first sync of %d attributes (%d delivered in %d "
                    + "batches) %d, re-read of the same %d %d%n", first.fetched(), first.delivered(), first.batches(),
                    firstSync, reRead.fetched(), window);
            assertThat(first.delivered()).isEqualTo(expected.size());
            // per Sentinel batch one transaction of a few statements, not one per attribute
            assertThat(firstSync).isLessThan(first.batches() * 10 + 20);
            assertThat(reRead.fetched()).isEqualTo(2000);
            assertThat(reRead.delivered()).isZero();
            // the checkpoint's commit: the fence, the upsert, the commit
            assertThat(window).isLessThan(10);
        }
    }

    private static void resetStatements() throws Exception {
        try (Connection c = connect()) {
            c.createStatement().execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** The calls of statements in this test's database since the last reset, but those of the counting. */
    private static long statements() throws Exception {
        try (Connection c = connect();
             ResultSet r = c.createStatement().executeQuery("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                     + "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                     + "AND query NOT LIKE '%pg_stat_statements%'")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long rows(String workspace, String map) throws Exception {
        try (Connection c = connect();
             var s = c.prepareStatement("SELECT count(*) FROM misp_sentinel_state WHERE workspace = ? AND map = ?")) {
            s.setString(1, workspace);
            s.setString(2, map);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static long deadLetters(String workspace) throws Exception {
        try (Connection c = connect();
             var s = c.prepareStatement("SELECT count(*) FROM misp_sentinel_dead_letter WHERE workspace = ?")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Everything the product keeps in the database. */
    private static String dump() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = connect()) {
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
        try (Connection c = connect();
             var s = c.prepareStatement("SELECT count(*) FROM misp_sentinel_state WHERE map = ?")) {
            s.setString(1, map);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String checkpoint() throws Exception {
        try (Connection c = connect();
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT v FROM misp_sentinel_state WHERE map = 'meta' AND k = 'smisp.checkpoint'")) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
