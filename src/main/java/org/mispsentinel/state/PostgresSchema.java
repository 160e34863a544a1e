package org.mispsentinel.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.mispsentinel.delivery.StateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables of the PostgreSQL state, created and migrated by the product itself: migration N takes
 * the schema from version N-1 to N. All run in one transaction under an advisory lock, so that
 * instances starting together migrate once, one after the other; a database migrated by a newer
 * misp-sentinel is refused, since this one would not know what its rows mean. See docs/operations.md.
 */
public final class PostgresSchema {

    /** The version this misp-sentinel writes. */
    public static final int VERSION = 1;
    /** Any constant of the product's own: pg_advisory_xact_lock takes a 64-bit key. */
    private static final long MIGRATION_LOCK = 0x6d69_7370_5f73_656eL;

    private static final List<List<String>> MIGRATIONS = List.of(
            // 1: the owner of each workspace with its fencing epoch, the mirrored maps, the dead letters
            List.of("""
                    CREATE TABLE misp_sentinel_owner (
                      workspace  text PRIMARY KEY,
                      epoch      bigint NOT NULL,
                      instance   text NOT NULL,
                      claimed_at timestamptz NOT NULL)""",
                    """
                    CREATE TABLE misp_sentinel_state (
                      workspace text NOT NULL,
                      map       text NOT NULL,
                      k         text NOT NULL,
                      v         text NOT NULL,
                      PRIMARY KEY (workspace, map, k))""",
                    """
                    CREATE TABLE misp_sentinel_dead_letter (
                      workspace text NOT NULL,
                      id        bigserial,
                      entry     text NOT NULL,
                      replaying boolean NOT NULL DEFAULT false,
                      PRIMARY KEY (workspace, id))"""));

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSchema.class);

    private PostgresSchema() {
    }

    /** Brings the database to {@link #VERSION}. */
    public static void migrate(DataSource db) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
                s.execute("CREATE TABLE IF NOT EXISTS misp_sentinel_schema (version integer PRIMARY KEY, "
                        + "applied_at timestamptz NOT NULL DEFAULT now())");
                int at = version(c);
                refuseNewer(at);
                for (int next = at + 1; next <= VERSION; next++) {
                    for (String statement : MIGRATIONS.get(next - 1)) {
                        s.execute(statement);
                    }
                    s.execute("INSERT INTO misp_sentinel_schema (version) VALUES (" + next + ")");
                }
                c.commit();
                if (at < VERSION) {
                    LOG.info("PostgreSQL state: schema migrated from version {} to {}", at, VERSION);
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StateException("the PostgreSQL state's schema could not be brought to version " + VERSION
                    + " (" + e.getMessage() + "); nothing of the migration was kept");
        }
    }

    /** The schema version of the database: 0 when the product's tables are not there yet. */
    public static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet exists = s.executeQuery("SELECT to_regclass('misp_sentinel_schema') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM misp_sentinel_schema")) {
            r.next();
            return r.getInt(1);
        }
    }

    static void refuseNewer(int version) {
        if (version > VERSION) {
            throw new StateException("the PostgreSQL state's schema is at version " + version + ", newer than "
                    + "this misp-sentinel's (" + VERSION + "): a newer misp-sentinel migrated it. Run that version "
                    + "(or newer); this one does not touch the database");
        }
    }
}
