package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
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
