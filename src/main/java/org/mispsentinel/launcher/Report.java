package org.mispsentinel.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.mispsentinel.config.Settings;
import org.mispsentinel.delivery.HeldIndicators;
import org.mispsentinel.delivery.StateReport;
import org.mispsentinel.delivery.StateSnapshot;
import org.mispsentinel.state.PostgresStateStores;
import org.mispsentinel.state.SharedStateView;

/**
 * {@code --report [--json]}: each workspace's state as text for people, or one JSON document for
 * scripts. What the numbers mean is the delivery package's; this only lays them out.
 */
final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {
    }

    /** Reads the settings that say where the state is, and no other. */
    static int run(SettingsSources sources, Properties commandLine, Clock clock, boolean json, PrintStream out,
                   PrintStream err) throws Exception {
        Map<String, Path> dirs;
        Optional<Settings.SharedState> shared;
        try (MainProperties properties = new MainProperties(sources, commandLine)) {
            dirs = Settings.stateDirs(properties.lookup());
            shared = Settings.sharedState(properties.lookup());
        }
        return shared.isPresent() ? shared(shared.get(), dirs.keySet(), clock, json, out)
                : run(dirs, clock, json, out, err);
    }

    /**
     * The PostgreSQL state, read as it is committed (whoever holds the workspaces), with the instance
     * that owns each: a workspace no instance has taken yet reads as empty.
     */
    static int shared(Settings.SharedState settings, java.util.Collection<String> names, Clock clock, boolean json,
                      PrintStream out) throws Exception {
        ObjectNode document = JSON.createObjectNode();
        document.put("generated_at", clock.instant().toString());
        ArrayNode workspaces = document.putArray("workspaces");
        StringBuilder text = new StringBuilder();
        try (SharedStateView view = SharedStateView.open(settings);
             TemporaryDirectory scratch = TemporaryDirectory.create("misp-sentinel-report")) {
            for (String name : names) {
                StateSnapshot state = view.snapshot(name, scratch.path().resolve(name), clock);
                Optional<PostgresStateStores.Owner> owner = view.owner(name);
                String where = "PostgreSQL " + settings.jdbcUrl();
                ObjectNode w = json(name, where, state);
                w.put("owner", owner.map(PostgresStateStores.Owner::instance).orElse(null));
                w.put("owner_epoch", owner.map(PostgresStateStores.Owner::epoch).orElse(null));
                workspaces.add(w);
                text.append(text(name, where, state));
                line(text, "owned by", owner.map(o -> o.instance() + " (epoch " + o.epoch() + ", since "
                        + o.claimedAt() + ")").orElse("no instance yet"));
            }
        }
        out.print(json ? JSON.writeValueAsString(document) + "\n" : text);
        out.flush();
        return Launcher.OK;
    }

    /**
     * @param dirs each workspace's state directory
     * @return 1 when a directory holds no state: a wrong state.dir would otherwise read as an empty workspace
     */
    static int run(Map<String, Path> dirs, Clock clock, boolean json, PrintStream out, PrintStream err)
            throws Exception {
        ObjectNode document = JSON.createObjectNode();
        document.put("generated_at", clock.instant().toString());
        ArrayNode workspaces = document.putArray("workspaces");
        StringBuilder text = new StringBuilder();
        int exit = Launcher.OK;
        for (Map.Entry<String, Path> workspace : dirs.entrySet()) {
            if (!StateReport.holdsState(workspace.getValue())) {
                err.println("misp-sentinel: no state in " + workspace.getValue() + " (workspace " + workspace.getKey()
                        + "): no misp-sentinel run has kept its state there; is state.dir (STATE_DIR) the run's?");
                exit = Launcher.FAILED;
                continue;
            }
            StateSnapshot state = StateReport.read(workspace.getValue(), clock);
            workspaces.add(json(workspace.getKey(), workspace.getValue().toAbsolutePath().toString(), state));
            text.append(text(workspace.getKey(), workspace.getValue().toString(), state));
        }
        out.print(json ? JSON.writeValueAsString(document) + "\n" : text);
        out.flush();
        return exit;
    }

    private static ObjectNode json(String name, String stateDir, StateSnapshot state) {
        HeldIndicators held = state.held();
        ObjectNode w = JSON.createObjectNode();
        w.put("name", name);
        w.put("state_dir", stateDir);
        w.put("source", state.fromSummary() ? "summary" : "store");
        w.put("as_of", state.asOf().toString());
        w.put("delivered", held.delivered());
        w.put("revocations_delivered", held.revocationsDelivered());
        w.put("active", held.active());
        w.put("revoked", held.revoked());
        w.put("expiring_7d", held.expiringSoon());
        w.put("dead_lettered", state.deadLettered());
        w.put("context_waiting", state.contextWaiting());
        w.put("checkpoint", time(state.checkpoint()).orElse(null));
        w.put("last_successful_cycle", state.lastSuccess().map(Instant::toString).orElse(null));
        return w;
    }

    private static String text(String name, String stateDir, StateSnapshot state) {
        HeldIndicators held = state.held();
        StringBuilder s = new StringBuilder();
        s.append("workspace ").append(name).append(" (").append(stateDir).append(")\n");
        if (state.fromSummary()) {
            s.append("  as of                  ").append(state.asOf())
                    .append(" (in use by a running misp-sentinel: its summary of its last cycle)\n");
        }
        line(s, "delivered", held.delivered() + " indicators (" + held.revocationsDelivered() + " of them revocations)");
        line(s, "active now", Long.toString(held.active()));
        line(s, "revoked", Long.toString(held.revoked()));
        line(s, "expiring in 7 days", Long.toString(held.expiringSoon()));
        line(s, "dead-lettered", Long.toString(state.deadLettered()));
        line(s, "context waiting", state.contextWaiting() + " (sent after the indicators of the next cycle)");
        line(s, "checkpoint", time(state.checkpoint()).orElse("never"));
        line(s, "last successful cycle", state.lastSuccess().map(Instant::toString).orElse("never"));
        return s.toString();
    }

    private static void line(StringBuilder s, String label, String value) {
        s.append("  ").append(label).append(" ".repeat(Math.max(1, 23 - label.length()))).append(value).append('\n');
    }

    private static Optional<String> time(OptionalLong epochSeconds) {
        return epochSeconds.isPresent() ? Optional.of(Instant.ofEpochSecond(epochSeconds.getAsLong()).toString())
                : Optional.empty();
    }
}
