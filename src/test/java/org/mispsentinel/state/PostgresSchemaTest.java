package org.mispsentinel.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.mispsentinel.config.Secret;
import org.mispsentinel.config.Settings;
import org.mispsentinel.delivery.StateException;

class PostgresSchemaTest {

    private static Settings.SharedState settings(String database) {
        return new Settings.SharedState(RealPostgres.server().jdbcUrl(database), java.util.Optional.of(RealPostgres.USER),
                java.util.Optional.of(Secret.of(RealPostgres.PASSWORD)), 4, "test");
    }

    private static List<String> tables(String database) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = RealPostgres.server().connect(database);
             ResultSet r = c.createStatement().executeQuery("SELECT table_name FROM information_schema.tables "
                     + "WHERE table_schema = 'public' ORDER BY table_name")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private static List<Integer> versions(String database) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (Connection c = RealPostgres.server().connect(database);
             ResultSet r = c.createStatement().executeQuery("SELECT version FROM misp_sentinel_schema ORDER BY 1")) {
            while (r.next()) {
                out.add(r.getInt(1));
            }
        }
        return out;
    }

    @Test
    void instancesStartingTogetherOnAnEmptyDatabaseMigrateItOnceToTheCurrentVersion() throws Exception {
        String database = RealPostgres.server().createDatabase("schema_empty");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                PostgresStateStores.connect(settings(database), false).close();
            }));
        }
        go.countDown();
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();

        assertThat(tables(database)).containsExactly("misp_sentinel_dead_letter", "misp_sentinel_owner",
                "misp_sentinel_schema", "misp_sentinel_state");
        assertThat(versions(database)).containsExactly(PostgresSchema.VERSION);
    }

    @Test
    void aDatabaseMigratedByANewerVersionIsRefusedAndLeftAsItIs() throws Exception {
        String database = RealPostgres.server().createDatabase("schema_newer");
        PostgresStateStores.connect(settings(database), false).close();
        try (Connection c = RealPostgres.server().connect(database)) {
            c.createStatement().execute("INSERT INTO misp_sentinel_schema (version) VALUES (" + (PostgresSchema.VERSION + 1)
                    + ")");
        }

        for (boolean readOnly : new boolean[] {false, true}) {
            assertThatThrownBy(() -> PostgresStateStores.connect(settings(database), readOnly))
                    .isInstanceOf(StateException.class)
                    .hasMessageContaining("schema is at version " + (PostgresSchema.VERSION + 1))
                    .hasMessageContaining("newer than this misp-sentinel's (" + PostgresSchema.VERSION + ")");
        }
        assertThat(versions(database)).containsExactly(PostgresSchema.VERSION, PostgresSchema.VERSION + 1);
    }

    @Test
    void aDryRunOnAnEmptyDatabaseStartsFromNothingAndCreatesNoTable(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws Exception {
        String database = RealPostgres.server().createDatabase("schema_dry");
        try (PostgresStateStores stores = PostgresStateStores.connect(settings(database), true);
             var store = stores.open(new Settings.Workspace("alpha", null, null, null, null, temp))) {
            org.mispsentinel.delivery.DeliveryLedger ledger = new org.mispsentinel.delivery.DeliveryLedger(store, 1000);
            assertThat(ledger.add("a/1")).isTrue();
            assertThat(store.deadLetters().startReplay().hasNext()).isFalse();
        }
        assertThat(tables(database)).isEmpty();
    }
}
