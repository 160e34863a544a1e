package org.mispsentinel.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.mispsentinel.config.Settings;
import org.mispsentinel.delivery.StateException;
import org.mispsentinel.delivery.StateStore;
import org.mispsentinel.delivery.StateStores;

/**
 * The workspaces' state in one PostgreSQL database ({@code state.store=postgresql}), through one
 * pool of connections. Creating it brings the schema to this version; a read-only one (--dry-run)
 * migrates nothing and claims nothing.
 */
public final class PostgresStateStores implements StateStores, AutoCloseable {

    private final DataSource db;
    private final String instanceId;
    private final boolean readOnly;
    /** A read-only view of a database no instance has written to yet: no table to read. */
    private final boolean empty;

    /** @param db connections to the database; closed with this when it is a pool made here */
    public PostgresStateStores(DataSource db, String instanceId, boolean readOnly) {
        this.db = db;
        this.instanceId = instanceId;
        this.readOnly = readOnly;
        if (readOnly) {
            try (Connection c = db.getConnection()) {
                int version = PostgresSchema.version(c);
                PostgresSchema.refuseNewer(version);
                this.empty = version == 0;
            } catch (SQLException e) {
                throw unreachable(e);
            }
        } else {
            PostgresSchema.migrate(db);
            this.empty = false;
        }
    }

    /** The pool of {@code state.jdbc-*}; the schema migrated unless {@code readOnly}. */
    public static PostgresStateStores connect(Settings.SharedState settings, boolean readOnly) {
        HikariDataSource pool = pool(settings);
        try {
            return new PostgresStateStores(pool, settings.instanceId(), readOnly);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    static HikariDataSource pool(Settings.SharedState settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("misp-sentinel-state");
        config.setJdbcUrl(settings.jdbcUrl());
        settings.user().ifPresent(config::setUsername);
        settings.password().ifPresent(p -> config.setPassword(p.reveal()));
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(0);
        // a commit that cannot get a connection fails the cycle in seconds, not after Hikari's 30
        config.setConnectionTimeout(5_000);
        // the pool starts even while the database is away: the migration then says what failed
        config.setInitializationFailTimeout(-1);
        // a batch of upserts is sent as multi-row inserts: fewer round trips per commit
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "misp-sentinel " + settings.instanceId());
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StateException("state.jdbc-url: no pool of connections to the PostgreSQL state (" + e.getMessage()
                    + ")");
        }
    }

    private static StateException unreachable(SQLException e) {
        return new StateException("the PostgreSQL state cannot be reached (" + e.getMessage() + ")");
    }

    @Override
    public StateStore open(Settings.Workspace workspace) {
        return PostgresStateStore.open(db, workspace, instanceId, readOnly, empty);
    }

    /** Which instance holds each workspace, as recorded by its last claim. */
    public record Owner(String workspace, String instance, long epoch, Instant claimedAt) {
    }

    public List<Owner> owners() {
        try (Connection c = db.getConnection()) {
            return owners(c);
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    static List<Owner> owners(Connection c) throws SQLException {
        List<Owner> out = new ArrayList<>();
        if (PostgresSchema.version(c) == 0) {
            return out;
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT workspace, instance, epoch, claimed_at FROM misp_sentinel_owner ORDER BY workspace");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new Owner(r.getString(1), r.getString(2), r.getLong(3), r.getTimestamp(4).toInstant()));
            }
        }
        return out;
    }

    public DataSource dataSource() {
        return db;
    }

    @Override
    public void close() {
        if (db instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
