package org.mispsentinel.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.mispsentinel.config.Settings;
import org.mispsentinel.delivery.StateException;
import org.mispsentinel.delivery.StateReport;
import org.mispsentinel.delivery.StateSnapshot;
import org.mispsentinel.delivery.StateStore;

/**
 * What {@code --report} and {@code --check} read of the PostgreSQL state, without claiming a
 * workspace or writing anything: the database reads the same while instances run.
 */
public final class SharedStateView implements AutoCloseable {

    private final Settings.SharedState settings;
    private final PostgresStateStores stores;

    private SharedStateView(Settings.SharedState settings, PostgresStateStores stores) {
        this.settings = settings;
        this.stores = stores;
    }

    public static SharedStateView open(Settings.SharedState settings) {
        return new SharedStateView(settings, PostgresStateStores.connect(settings, true));
    }

    /** One workspace's numbers, read through a mirror in {@code scratch} that is removed after. */
    public StateSnapshot snapshot(String workspace, Path scratch, Clock clock) {
        try (StateStore store = stores.open(new Settings.Workspace(workspace, null, null, null, null, scratch))) {
            return StateReport.read(store, clock);
        }
    }

    public Map<String, PostgresStateStores.Owner> owners() {
        return stores.owners().stream().collect(Collectors.toMap(PostgresStateStores.Owner::workspace,
                Function.identity()));
    }

    public Optional<PostgresStateStores.Owner> owner(String workspace) {
        return Optional.ofNullable(owners().get(workspace));
    }

    /**
     * The line of {@code --check}: reachable, which schema version, who owns which workspace.
     *
     * @throws StateException when it is not reachable or its schema is newer than this version's
     */
    public String check(List<String> workspaces) {
        int version;
        try (Connection c = stores.dataSource().getConnection()) {
            version = PostgresSchema.version(c);
        } catch (SQLException e) {
            throw new StateException(settings.jdbcUrl() + " cannot be reached (" + e.getMessage() + ")");
        }
        Map<String, PostgresStateStores.Owner> owners = owners();
        String owned = workspaces.stream().map(w -> {
            PostgresStateStores.Owner o = owners.get(w);
            return o == null ? w + " not taken yet" : w + " by " + o.instance() + " (epoch " + o.epoch() + ", since "
                    + o.claimedAt() + ")";
        }).collect(Collectors.joining(", "));
        return settings.jdbcUrl() + " answers; schema version " + (version == 0 ? "none yet (the first run creates it)"
                : version + " (this misp-sentinel's: " + PostgresSchema.VERSION + ")") + "; workspaces: " + owned;
    }

    @Override
    public void close() {
        stores.close();
    }
}
