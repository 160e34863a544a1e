package org.mispsentinel.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.mispsentinel.config.Settings;
import org.mispsentinel.delivery.DeadLetters;
import org.mispsentinel.delivery.OwnershipLostException;
import org.mispsentinel.delivery.StateException;
import org.mispsentinel.delivery.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workspace's state in PostgreSQL, worked on through a local mirror: opening the store claims
 * the workspace (its owner epoch goes up by one and this store keeps it as its fencing token), then
 * loads the workspace's committed rows into an MVStore file under its state directory. The state
 * classes read and write that mirror as they do the H2 file, so a dedup lookup or a re-read window
 * costs no round trip; each {@link #commit()} writes the keys changed since the last one in one
 * transaction that first checks, under the owner row's lock, that the epoch is still this store's.
 */
public final class PostgresStateStore extends StateStore {

    static final String MIRROR_FILE = "state-mirror.mv.db";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStateStore.class);

    private final DataSource db;
    private final String workspace;
    private final long epoch;
    private final boolean readOnly;
    private final Path mirrorFile;
    private final Map<String, MapChanges> changes = new ConcurrentHashMap<>();
    private volatile String lostTo;
    /** Why the last commit failed, until one succeeds: the store is then not ready. */
    private volatile String failing;

    private PostgresStateStore(MVStore mirror, Path dir, DeadLetters deadLetters, DataSource db, String workspace,
                               long epoch, boolean readOnly, Path mirrorFile) {
        super(mirror, dir, deadLetters);
        this.db = db;
        this.workspace = workspace;
        this.epoch = epoch;
        this.readOnly = readOnly;
        this.mirrorFile = mirrorFile;
    }

    /**
     * Claims the workspace for {@code instanceId} and loads its committed state.
     *
     * @param readOnly for --dry-run and --report: no claim, and nothing is ever written to the database
     * @param empty    the database has no tables yet (read only): there is nothing to load
     */
    static PostgresStateStore open(DataSource db, Settings.Workspace workspace, String instanceId, boolean readOnly,
                                   boolean empty) {
        Path dir = workspace.stateDir();
        Path file = dir.resolve(MIRROR_FILE).toAbsolutePath();
        MVStore mirror;
        try {
            Files.createDirectories(dir);
            // the database is the state; a mirror left by an earlier run may be behind it
            Files.deleteIfExists(file);
            mirror = new MVStore.Builder().fileName(file.toString()).open();
        } catch (IOException | RuntimeException e) {
            throw new StateException("workspace " + workspace.name() + ": the local mirror of the PostgreSQL state "
                    + file + " cannot be created (" + e.getMessage() + "); is another misp-sentinel using the same "
                    + "state.dir?");
        }
        try {
            long epoch = readOnly ? 0 : claim(db, workspace.name(), instanceId);
            PostgresStateStore store = new PostgresStateStore(mirror, dir,
                    new PostgresDeadLetters(db, workspace.name(), epoch, dir, readOnly, empty), db, workspace.name(), epoch,
                    readOnly, file);
            if (!empty) {
                store.load();
            }
            if (!readOnly) {
                LOG.info("workspace {}: taken by instance {} (epoch {})", workspace.name(), instanceId, epoch);
            }
            return store;
        } catch (SQLException e) {
            mirror.close();
            throw new StateException("workspace " + workspace.name() + ": the PostgreSQL state cannot be opened ("
                    + e.getMessage() + "); nothing was changed");
        } catch (RuntimeException e) {
            mirror.close();
            throw e;
        }
    }

    /** The epoch goes up by one: from now on only this store's commits are taken for the workspace. */
    private static long claim(DataSource db, String workspace, String instanceId) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO misp_sentinel_owner AS o "
                     + "(workspace, epoch, instance, claimed_at) VALUES (?, 1, ?, now()) ON CONFLICT (workspace) DO "
                     + "UPDATE SET epoch = o.epoch + 1, instance = excluded.instance, claimed_at = now() "
                     + "RETURNING epoch")) {
            c.setAutoCommit(true);
            s.setString(1, workspace);
            s.setString(2, instanceId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** One query, streamed: the rows committed before the claim, which no earlier owner can add to now. */
    private void load() throws SQLException {
        long rows = 0;
        try (Connection c = db.getConnection()) {
            // a cursor (fetch size) needs a transaction in the PostgreSQL driver
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT map, k, v FROM misp_sentinel_state WHERE workspace = ?")) {
                s.setFetchSize(10_000);
                s.setString(1, workspace);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String map = r.getString(1);
                        MVMap<Object, Object> target = map(map);
                        target.put(StoredValues.decode(map, r.getString(2)), StoredValues.decode(map, r.getString(3)));
                        rows++;
                    }
                }
            } finally {
                c.rollback();
            }
        }
        changes.values().forEach(MapChanges::forget);
        maps().commit();
        LOG.debug("workspace {}: {} rows of state loaded from PostgreSQL", workspace, rows);
    }

    private MapChanges changes(String name) {
        return changes.computeIfAbsent(name, n -> new MapChanges());
    }

    @Override
    protected <K, V> MVMap<K, V> map(String name) {
        return maps().openMap(name, new TrackedMap.Builder<K, V>(changes(name)));
    }

    @Override
    protected void remove(String name) {
        maps().removeMap(name);
        changes(name).cleared();
    }

    @Override
    public String where() {
        return "PostgreSQL (workspace " + workspace + (readOnly ? ", read only" : ", epoch " + epoch)
                + "), mirrored in " + mirrorFile;
    }

    /**
     * Writes what changed since the last commit in one transaction, if the workspace is still this
     * store's. A failure keeps the changes for the next commit: the database stays at the last one.
     */
    @Override
    protected synchronized void commit() {
        if (lostTo != null) {
            throw lost(lostTo);
        }
        maps().commit();
        if (readOnly) {
            return;
        }
        Map<String, MapChanges.Taken> taken = new LinkedHashMap<>();
        changes.forEach((name, c) -> {
            MapChanges.Taken t = c.take();
            if (!t.isEmpty()) {
                taken.put(name, t);
            }
        });
        try {
            write(taken);
            failing = null;
        } catch (SQLException | RuntimeException e) {
            taken.forEach((name, t) -> changes(name).restore(t));
            if (e instanceof OwnershipLostException lost) {
                throw lost;
            }
            failing = e.getMessage();
            throw new StateException("workspace " + workspace + ": the state could not be committed to PostgreSQL ("
                    + e.getMessage() + "); nothing of this commit was kept, the cycle fails and the next one "
                    + "commits it once the database answers");
        }
    }

    private void write(Map<String, MapChanges.Taken> taken) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                fence(c);
                try (PreparedStatement clear = c.prepareStatement(
                        "DELETE FROM misp_sentinel_state WHERE workspace = ? AND map = ?");
                     PreparedStatement upsert = c.prepareStatement("INSERT INTO misp_sentinel_state "
                             + "(workspace, map, k, v) VALUES (?, ?, ?, ?) ON CONFLICT (workspace, map, k) "
                             + "DO UPDATE SET v = excluded.v");
                     PreparedStatement delete = c.prepareStatement(
                             "DELETE FROM misp_sentinel_state WHERE workspace = ? AND map = ? AND k = ANY (?)")) {
                    int clears = 0;
                    int upserts = 0;
                    int deletes = 0;
                    for (Map.Entry<String, MapChanges.Taken> e : taken.entrySet()) {
                        String name = e.getKey();
                        if (e.getValue().cleared()) {
                            clear.setString(1, workspace);
                            clear.setString(2, name);
                            clear.addBatch();
                            clears++;
                        }
                        MVMap<Object, Object> map = maps().hasMap(name) ? map(name) : null;
                        List<String> gone = new ArrayList<>();
                        for (Object key : e.getValue().keys()) {
                            Object value = map == null ? null : map.get(key);
                            if (value == null) {
                                gone.add(StoredValues.encode(name, key));
                                continue;
                            }
                            upsert.setString(1, workspace);
                            upsert.setString(2, name);
                            upsert.setString(3, StoredValues.encode(name, key));
                            upsert.setString(4, StoredValues.encode(name, value));
                            upsert.addBatch();
                            upserts++;
                        }
                        if (!gone.isEmpty()) {
                            // one statement for the map's removed keys, however many (the driver sends a
                            // batch of single-row deletes as as many statements)
                            delete.setString(1, workspace);
                            delete.setString(2, name);
                            delete.setArray(3, c.createArrayOf("text", gone.toArray()));
                            delete.addBatch();
                            deletes++;
                        }
                    }
                    // a cleared map goes first: what was written after the clear is in the other two
                    if (clears > 0) {
                        clear.executeBatch();
                    }
                    if (upserts > 0) {
                        upsert.executeBatch();
                    }
                    if (deletes > 0) {
                        delete.executeBatch();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    /** Locks the owner row until the commit, so no claim can come between the check and the writes. */
    private void fence(Connection c) throws SQLException {
        String taker = takenBy(c, workspace, epoch);
        if (taker != null) {
            lostTo = taker;
            throw lost(taker);
        }
    }

    /**
     * Locks the workspace's owner row for the transaction of {@code c}.
     *
     * @return null while {@code epoch} is still the workspace's, else the instance that took it
     */
    static String takenBy(Connection c, String workspace, long epoch) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT epoch, instance FROM misp_sentinel_owner WHERE workspace = ? FOR UPDATE")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return "(none: the owner row was deleted)";
                }
                return r.getLong(1) == epoch ? null : r.getString(2) + " (epoch " + r.getLong(1) + ")";
            }
        }
    }

    private OwnershipLostException lost(String owner) {
        return lost(workspace, owner, epoch);
    }

    static OwnershipLostException lost(String workspace, String owner, long epoch) {
        return new OwnershipLostException("workspace " + workspace + ": instance " + owner + " took this workspace "
                + "from this one (epoch " + epoch + "); nothing of this commit was kept, the new owner resumes from "
                + "the committed state, and this instance writes no more state for it");
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: the server rolled the transaction back with it
        }
    }

    @Override
    protected void commitAndSync() {
        // a PostgreSQL commit is durable as the server is configured (synchronous_commit)
        commit();
    }

    /** One query: whether the workspace's epoch is still this store's. False when that cannot be told. */
    @Override
    public boolean owned() {
        if (readOnly || lostTo != null || !super.usable()) {
            return false;
        }
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT epoch FROM misp_sentinel_owner WHERE workspace = ?")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getLong(1) == epoch;
            }
        } catch (SQLException e) {
            LOG.warn("workspace {}: whether this instance still owns it cannot be told ({}); it uploads nothing "
                    + "until it can", workspace, e.getMessage());
            return false;
        }
    }

    /** The fencing token this store holds (0 for a read-only store). */
    public long epoch() {
        return epoch;
    }

    /** Not while the last commit failed or once the workspace was taken by another instance. */
    @Override
    public boolean usable() {
        return super.usable() && lostTo == null && failing == null;
    }

    @Override
    public void close() {
        super.close();
        try {
            Files.deleteIfExists(mirrorFile);
        } catch (IOException e) {
            LOG.debug("the mirror {} stays: {}", mirrorFile, e.getMessage());
        }
    }
}
