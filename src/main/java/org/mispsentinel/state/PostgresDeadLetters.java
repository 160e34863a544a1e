package org.mispsentinel.state;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import javax.sql.DataSource;
import org.mispsentinel.delivery.DeadLetters;
import org.mispsentinel.delivery.PendingStix;
import org.mispsentinel.delivery.StateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workspace's dead letters as rows of {@code misp_sentinel_dead_letter}, committed before the
 * batch counts as settled, as the file's lines are forced. A replay marks the rows there are, reads
 * them a page at a time, and deletes them only when it ends well; rejections during the replay are
 * new rows, left for the next one.
 */
final class PostgresDeadLetters extends DeadLetters {

    private static final int PAGE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDeadLetters.class);

    private final DataSource db;
    private final String workspace;
    /** the store's fencing token: dead letters are written by the workspace's owner only */
    private final long epoch;
    private final boolean readOnly;
    /** read only, on a database without tables yet */
    private final boolean empty;
    private boolean writeFailed;

    /** @param dir unused: the file of the H2 store's dead letters is not written */
    PostgresDeadLetters(DataSource db, String workspace, long epoch, Path dir, boolean readOnly, boolean empty) {
        super(dir);
        this.db = db;
        this.workspace = workspace;
        this.epoch = epoch;
        this.readOnly = readOnly;
        this.empty = empty;
    }

    @Override
    public String where() {
        return "PostgreSQL (misp_sentinel_dead_letter, workspace " + workspace + ")";
    }

    @Override
    public synchronized void append(List<PendingStix> rejected, List<String> errors) {
        if (rejected.isEmpty()) {
            return;
        }
        List<String> entries = entries(rejected, errors);
        if (readOnly) {
            return;
        }
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "INSERT INTO misp_sentinel_dead_letter (workspace, entry) VALUES (?, ?)")) {
            c.setAutoCommit(false);
            String taker = PostgresStateStore.takenBy(c, workspace, epoch);
            if (taker != null) {
                c.rollback();
                throw PostgresStateStore.lost(workspace, taker, epoch);
            }
            for (String entry : entries) {
                s.setString(1, workspace);
                s.setString(2, entry);
                s.addBatch();
            }
            s.executeBatch();
            c.commit();
        } catch (SQLException e) {
            writeFailed = true;
            throw new StateException("workspace " + workspace + ": " + rejected.size() + " dead letters could not be "
                    + "written to PostgreSQL (" + e.getMessage() + "); the batch is not settled and is sent again");
        }
    }

    @Override
    public synchronized Iterator<PendingStix> startReplay() {
        writeFailed = false;
        if (empty) {
            return java.util.Collections.emptyIterator();
        }
        if (!readOnly) {
            try (Connection c = db.getConnection();
                 PreparedStatement s = c.prepareStatement(
                         "UPDATE misp_sentinel_dead_letter SET replaying = true WHERE workspace = ?")) {
                s.setString(1, workspace);
                s.executeUpdate();
            } catch (SQLException e) {
                throw new StateException("workspace " + workspace + ": the dead letters cannot be read from "
                        + "PostgreSQL (" + e.getMessage() + ")");
            }
        }
        return new Pages();
    }

    @Override
    public synchronized void finishReplay() {
        if (readOnly) {
            return;
        }
        if (writeFailed) {
            LOG.error("workspace {}: dead letters could not be written during the replay; the replayed ones are "
                    + "kept for the next replay", workspace);
            return;
        }
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "DELETE FROM misp_sentinel_dead_letter WHERE workspace = ? AND replaying")) {
            s.setString(1, workspace);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("workspace " + workspace + ": the replayed dead letters could not be removed "
                    + "from PostgreSQL (" + e.getMessage() + "); the next replay sends them again");
        }
    }

    /** The entries a replay takes, read by id a page at a time (a dry run reads all of them). */
    private final class Pages implements Iterator<PendingStix> {

        private final Deque<PendingStix> page = new ArrayDeque<>();
        private long after = 0;
        private boolean ended;

        @Override
        public boolean hasNext() {
            while (page.isEmpty() && !ended) {
                read();
            }
            return !page.isEmpty();
        }

        @Override
        public PendingStix next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.removeFirst();
        }

        private void read() {
            try (Connection c = db.getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT id, entry FROM misp_sentinel_dead_letter "
                         + "WHERE workspace = ? AND id > ?" + (readOnly ? "" : " AND replaying")
                         + " ORDER BY id LIMIT " + PAGE)) {
                s.setString(1, workspace);
                s.setLong(2, after);
                int rows = 0;
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows++;
                        after = r.getLong(1);
                        try {
                            page.add(pending(r.getString(2)));
                        } catch (IOException | RuntimeException damaged) {
                            LOG.warn("workspace {}: dead letter {} does not parse and is skipped", workspace, after);
                        }
                    }
                }
                ended = rows < PAGE;
            } catch (SQLException e) {
                throw new StateException("workspace " + workspace + ": the dead letters cannot be read from "
                        + "PostgreSQL (" + e.getMessage() + ")");
            }
        }
    }

    @Override
    public long count() {
        if (empty) {
            return 0;
        }
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT count(*) FROM misp_sentinel_dead_letter WHERE workspace = ?")) {
            s.setString(1, workspace);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new StateException("workspace " + workspace + ": the dead letters cannot be counted in PostgreSQL ("
                    + e.getMessage() + ")");
        }
    }
}
