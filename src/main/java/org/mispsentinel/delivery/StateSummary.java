package org.mispsentinel.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.h2.mvstore.MVMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The numbers of {@code --report} written beside the state file by the instance that holds it, since
 * nothing else can open that file while it runs (see {@link StateStore#openForReading}). Replaced
 * whole at the end of each cycle that moves the checkpoint, so a reader sees one cycle's numbers or
 * the next one's.
 */
final class StateSummary {

    static final String FILE_NAME = "state-summary.json";
    /** The horizon of "expiring soon" in the report, and so in the summary. */
    static final long EXPIRING_WITHIN_SECONDS = 7 * 86_400L;

    private static final Logger LOG = LoggerFactory.getLogger(StateSummary.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateSummary() {
    }

    /** The counts of an open store at {@code now}. */
    static StateSnapshot of(StateStore store, Instant now, boolean fromSummary) {
        HeldIndicators held = Inventory.read(store, now.getEpochSecond(), EXPIRING_WITHIN_SECONDS);
        OptionalLong checkpoint = OptionalLong.empty();
        OptionalLong lastSuccess = OptionalLong.empty();
        if (store.has(Checkpoint.META)) {
            MVMap<String, String> meta = store.map(Checkpoint.META);
            checkpoint = Checkpoint.number(meta, Checkpoint.KEY);
            lastSuccess = Checkpoint.number(meta, Checkpoint.LAST_SUCCESS);
        }
        long contextWaiting = store.has(HeldContext.WAITING) ? store.map(HeldContext.WAITING).size() : 0;
        return new StateSnapshot(held, 0, checkpoint, instant(lastSuccess), now, fromSummary, contextWaiting);
    }

    /** A report that cannot be written must not fail the cycle that was delivered: it says so and goes on. */
    static void publish(StateStore store, Instant at) {
        StateSnapshot s = of(store, at, true);
        ObjectNode out = JSON.createObjectNode();
        out.put("as_of", at.getEpochSecond());
        out.put("delivered", s.held().delivered());
        out.put("revocations_delivered", s.held().revocationsDelivered());
        out.put("active", s.held().active());
        out.put("revoked", s.held().revoked());
        out.put("expiring_soon", s.held().expiringSoon());
        out.put("context_waiting", s.contextWaiting());
        putOrNull(out, "checkpoint", s.checkpoint().isPresent() ? s.checkpoint().getAsLong() : null);
        putOrNull(out, "last_success", s.lastSuccess().map(Instant::getEpochSecond).orElse(null));
        try {
            DurableFiles.replace(store.dir().resolve(FILE_NAME), JSON.writeValueAsBytes(out));
        } catch (IOException e) {
            LOG.warn("the state summary {} could not be written ({}); --report shows the previous one while this "
                    + "instance runs", store.dir().resolve(FILE_NAME), e.getMessage());
        }
    }

    static Optional<StateSnapshot> read(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode in = JSON.readTree(file.toFile());
        HeldIndicators held = new HeldIndicators(in.path("delivered").asLong(), in.path("revocations_delivered").asLong(),
                in.path("active").asLong(), in.path("revoked").asLong(), in.path("expiring_soon").asLong());
        return Optional.of(new StateSnapshot(held, 0, number(in, "checkpoint"), instant(number(in, "last_success")),
                Instant.ofEpochSecond(in.path("as_of").asLong()), true, in.path("context_waiting").asLong()));
    }

    private static void putOrNull(ObjectNode out, String name, Long value) {
        if (value != null) {
            out.put(name, value);
        } else {
            out.putNull(name);
        }
    }

    private static OptionalLong number(JsonNode in, String name) {
        JsonNode value = in.path(name);
        return value.isNumber() ? OptionalLong.of(value.asLong()) : OptionalLong.empty();
    }

    private static Optional<Instant> instant(OptionalLong epochSeconds) {
        return epochSeconds.isPresent() ? Optional.of(Instant.ofEpochSecond(epochSeconds.getAsLong())) : Optional.empty();
    }
}
