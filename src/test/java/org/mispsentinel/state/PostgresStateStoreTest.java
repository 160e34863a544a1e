package org.mispsentinel.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.config.Settings;
import org.mispsentinel.delivery.Checkpoint;
import org.mispsentinel.delivery.DeliveryLedger;
import org.mispsentinel.delivery.OwnershipLostException;
import org.mispsentinel.delivery.PendingStix;
import org.mispsentinel.delivery.StateException;
import org.mispsentinel.stix.RawStixObject;

class PostgresStateStoreTest {

    @RegisterExtension
    static final RealPostgres.Database DB = RealPostgres.database();

    @TempDir
    Path temp;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private HikariDataSource pool;
    private CountingDataSource counting;
    private String workspace;

    @BeforeEach
    void freshWorkspace() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(DB.jdbcUrl());
        config.setUsername(DB.user());
        config.setPassword(DB.password());
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        counting = new CountingDataSource(pool);
        workspace = "ws-" + System.nanoTime();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        pool.close();
    }

    private PostgresStateStore open(String instance) {
        return open(instance, false);
    }

    private PostgresStateStore open(String instance, boolean readOnly) {
        return open(new PostgresStateStores(counting.dataSource(), instance, readOnly), instance);
    }

    private PostgresStateStore open(PostgresStateStores stores, String instance) {
        // each instance has its own state.dir, as each has its own disk
        Settings.Workspace settings = new Settings.Workspace(workspace, null, null, null, null,
                temp.resolve(instance + "-" + opened.size()));
        PostgresStateStore store = (PostgresStateStore) stores.open(settings);
        opened.add(store);
        return store;
    }

    private static void deliver(DeliveryLedger ledger, String key, String attribute) {
        ledger.add(key);
        ledger.describe(key, attribute, false);
        ledger.expect(key, 1);
        ledger.settle(List.of(key), List.of());
    }

    private static PendingStix rejected(String attribute) throws Exception {
        return new PendingStix(attribute + "/1", attribute, "ip-dst 198.51.100.7",
                new RawStixObject(new ObjectMapper().readTree("{\"type\":\"indicator\",\"id\":\"indicator--" + attribute
                        + "\"}")));
    }

    @Test
    void aWorkspaceOpenedAgainSeesTheCommittedLedgerInventoryCheckpointAndDeadLettersAndNothingUncommitted()
            throws Exception {
        PostgresStateStore first = open("alpha");
        DeliveryLedger ledger = new DeliveryLedger(first, 1000);
        deliver(ledger, "a1/1", "a1");
        Checkpoint checkpoint = new Checkpoint(first);
        checkpoint.advanceTo(1_700_000_000L, Instant.parse("2026-01-01T00:00:00Z"), true);
        first.deadLetters().append(List.of(rejected("a2")), List.of("invalid pattern"));
        // taken in flight and written to the mirror, never committed
        ledger.add("a3/1");
        first.<String, String>map("meta").put("uncommitted", "x");
        first.close();

        PostgresStateStore second = open("beta");
        DeliveryLedger reopened = new DeliveryLedger(second, 1000);
        assertThat(reopened.contains("a1/1")).as("delivered").isTrue();
        assertThat(reopened.isLive("a1")).as("in the inventory").isTrue();
        assertThat(reopened.contains("a3/1")).as("never settled").isFalse();
        assertThat(new Checkpoint(second).read()).hasValue(1_700_000_000L);
        assertThat(second.<String, String>map("meta").get("uncommitted")).isNull();
        Iterator<PendingStix> dead = second.deadLetters().startReplay();
        assertThat(dead.hasNext()).isTrue();
        assertThat(dead.next().attributeUuid()).isEqualTo("a2");
        assertThat(dead.hasNext()).isFalse();
    }

    @Test
    void aCommitAfterAnotherInstanceTookTheWorkspaceIsRefusedAndLeavesTheDatabaseAsTheNewOwnerWroteIt() throws Exception {
        PostgresStateStore first = open("alpha");
        DeliveryLedger firstLedger = new DeliveryLedger(first, 1000);
        deliver(firstLedger, "before/1", "before");
        PostgresStateStore second = open("beta");
        DeliveryLedger secondLedger = new DeliveryLedger(second, 1000);
        deliver(secondLedger, "second/1", "second");
        Map<String, String> asSecondWroteIt = rows();

        assertThat(first.owned()).isFalse();
        assertThat(second.owned()).isTrue();
        assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
        assertThatThrownBy(() -> deliver(firstLedger, "late/1", "late"))
                .isInstanceOf(OwnershipLostException.class)
                .hasMessageContaining("workspace " + workspace)
                .hasMessageContaining("instance beta")
                .hasMessageContaining("nothing of this commit was kept")
                .hasMessageContaining("the new owner resumes from the committed state");
        assertThat(rows()).isEqualTo(asSecondWroteIt).containsKey("delivered|sbefore/1")
                .doesNotContainKey("delivered|slate/1");
        assertThat(first.usable()).isFalse();
        assertThatThrownBy(() -> new Checkpoint(first).advanceTo(1L, Instant.EPOCH, true))
                .isInstanceOf(OwnershipLostException.class);
        assertThatThrownBy(() -> first.deadLetters().append(List.of(rejected("late")), List.of("refused")))
                .isInstanceOf(OwnershipLostException.class);
        long beforeAsking = counting.roundTrips();
        assertThat(second.owned()).isTrue();
        assertThat(counting.roundTrips() - beforeAsking).as("owned() asks in one query").isEqualTo(1);
        assertThat(rows()).isEqualTo(asSecondWroteIt);
        assertThat(deadLetterCount()).isZero();
        assertThat(owner()).isEqualTo("beta");
    }

    @Test
    void dedupLookupsOfAReReadWindowMakeNoRoundTripAndACommitOfABatchMakesAFewWhateverItsSize() throws Exception {
        PostgresStateStore writer = open("alpha");
        DeliveryLedger ledger = new DeliveryLedger(writer, 10_000);
        int n = 2000;
        for (int i = 0; i < n; i += 100) {
            List<String> batch = new ArrayList<>();
            for (int j = i; j < i + 100; j++) {
                ledger.add(j + "/1");
                ledger.describe(j + "/1", "attr-" + j, false);
                ledger.expect(j + "/1", 1);
                batch.add(j + "/1");
            }
            ledger.settle(batch, List.of());
        }
        writer.close();

        PostgresStateStores beta = new PostgresStateStores(counting.dataSource(), "beta", false);
        long beforeOpen = counting.roundTrips();
        PostgresStateStore reader = open(beta, "beta");
        DeliveryLedger reopened = new DeliveryLedger(reader, 10_000);
        long open = counting.roundTrips() - beforeOpen;
        long beforeWindow = counting.roundTrips();
        for (int i = 0; i < n; i++) {
            assertThat(reopened.add(i + "/1")).as("already delivered").isFalse();
        }
        long window = counting.roundTrips() - beforeWindow;
        List<String> batch = new ArrayList<>();
        for (int j = n; j < n + 100; j++) {
            reopened.add(j + "/1");
            reopened.describe(j + "/1", "attr-" + j, false);
            reopened.expect(j + "/1", 1);
            batch.add(j + "/1");
        }
        long beforeCommit = counting.roundTrips();
        reopened.settle(batch, List.of());
        long commit = counting.roundTrips() - beforeCommit;

        System.out.printf("round trips: open of %d delivered attributes %d, re-read window of %d %d, commit of a batch "
                + "of 100 %d%n", n, open, n, window, commit);
        assertThat(window).isZero();
        // claim, load (one query, streamed) and the end of its read-only transaction
        assertThat(open).isLessThanOrEqualTo(3);
        // fence, upserts, deletes, commit
        assertThat(commit).isLessThanOrEqualTo(4);
        assertThat(rows()).containsKey("delivered|s" + (n + 99) + "/1");
    }

    @Test
    void aCommitWhileTheDatabaseIsAwayFailsKeepsTheDatabaseAsItWasAndTheNextCommitWritesItAll() throws Exception {
        PostgresStateStore store = open("alpha");
        DeliveryLedger ledger = new DeliveryLedger(store, 1000);
        deliver(ledger, "kept/1", "kept");
        Map<String, String> before = rows();

        DB.server().stop();
        try {
            assertThatThrownBy(() -> deliver(ledger, "during/1", "during"))
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining("could not be committed to PostgreSQL")
                    .hasMessageContaining("nothing of this commit was kept");
            assertThat(store.usable()).as("not ready while the database is away").isFalse();
        } finally {
            DB.server().start();
        }
        assertThat(rows()).isEqualTo(before);
        deliver(ledger, "after/1", "after");
        assertThat(store.usable()).isTrue();
        assertThat(rows()).containsKeys("delivered|skept/1", "delivered|sduring/1", "delivered|safter/1");
    }

    @Test
    void aReadOnlyStoreClaimsNothingAndWritesNothing() throws Exception {
        PostgresStateStore owner = open("alpha");
        deliver(new DeliveryLedger(owner, 1000), "a/1", "a");
        Map<String, String> before = rows();

        PostgresStateStore dryRun = open("dry", true);
        DeliveryLedger ledger = new DeliveryLedger(dryRun, 1000);
        assertThat(ledger.contains("a/1")).isTrue();
        deliver(ledger, "b/1", "b");
        dryRun.deadLetters().append(List.of(rejected("c")), List.of("refused"));

        assertThat(rows()).isEqualTo(before);
        assertThat(owner()).isEqualTo("alpha");
        assertThat(owner.owned()).isTrue();
    }

    /** The workspace's rows, "map|key" to value. */
    private Map<String, String> rows() throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DB.connect();
             var s = c.prepareStatement("SELECT map, k, v FROM misp_sentinel_state WHERE workspace = ?")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1) + "|" + r.getString(2), r.getString(3));
                }
            }
        }
        return out;
    }

    private long deadLetterCount() throws Exception {
        try (Connection c = DB.connect();
             var s = c.prepareStatement("SELECT count(*) FROM misp_sentinel_dead_letter WHERE workspace = ?")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private String owner() throws Exception {
        try (Connection c = DB.connect();
             var s = c.prepareStatement("SELECT instance FROM misp_sentinel_owner WHERE workspace = ?")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

}
