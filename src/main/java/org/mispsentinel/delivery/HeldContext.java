package org.mispsentinel.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.mispsentinel.stix.RawStixObject;
import org.mispsentinel.stix.StixContextObject;
import org.mispsentinel.stix.StixObject;
import org.mispsentinel.stix.StixRelationship;

/**
 * The context of one workspace's indicators (identities, attack patterns, threat actors, and the
 * relationships to them) as far as Sentinel is concerned: which versions of the context objects it
 * holds, and what waits to be sent after the indicators (sentinel.context=after-indicators).
 *
 * <p>A context object counts as held only once Sentinel accepted it, and from then on is not sent
 * again until its content changes. Nothing Microsoft documents bounds how long Sentinel keeps an
 * identity, attack pattern or threat actor (only indicators end, at their valid_until), so a held
 * object stays held until a change of the mapping settings sends everything again. Its version is
 * told by its content without {@code modified}, which follows whichever attribute carried it.
 *
 * <p>Both maps live in the workspace's state, so a restart neither sends the held context again nor
 * loses what waits: a relationship is kept until Sentinel accepted or refused it.
 */
public final class HeldContext {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Context objects sort before the relationships that point to them. */
    private static final String OBJECT = "0|";
    private static final String RELATIONSHIP = "1|";
    private static final String HELD = "context-held";
    /** What waits for the indicators, read by --report too. */
    static final String WAITING = "context-waiting";

    private final StateStore store;
    private final MVMap<String, String> held;
    private final MVMap<String, String> waiting;
    /** Context objects on their way to Sentinel in this cycle's batches: id to version. */
    private final Map<String, String> inFlight = new HashMap<>();
    /** The version of each context object written to {@link #waiting} by this process: not written again. */
    private final Map<String, String> waitingVersions = new HashMap<>();

    HeldContext(StateStore store) {
        this.store = store;
        this.held = store.map(HELD);
        this.waiting = store.map(WAITING);
    }

    /**
     * True when {@code object} is to go in the batch being filled: Sentinel does not hold this version,
     * and no batch of this cycle carries it yet.
     */
    synchronized boolean carry(StixContextObject object) {
        String version = version(object);
        if (version.equals(held.get(object.id())) || version.equals(inFlight.get(object.id()))) {
            return false;
        }
        inFlight.put(object.id(), version);
        return true;
    }

    /** Keeps {@code object} until the indicators of the cycle are in, unless Sentinel holds it already. */
    synchronized void holdBack(StixContextObject object) {
        String version = version(object);
        if (!version.equals(held.get(object.id())) && !version.equals(waitingVersions.put(object.id(), version))) {
            waiting.put(OBJECT + object.id(), json(object));
        }
    }

    /** Keeps {@code relationship} until the indicators of the cycle (its source among them) are in. */
    void holdBack(StixRelationship relationship) {
        waiting.put(RELATIONSHIP + relationship.id(), json(relationship));
    }

    /** How many objects wait to be sent. */
    public int waiting() {
        return waiting.size();
    }

    /**
     * What waits, context objects before the relationships that point to them, read from the state as
     * the batches are filled (not all in memory at once). Each is settled like an indicator; its key
     * is no attribute's, so the ledger passes over it.
     */
    Iterator<PendingStix> due() {
        Iterator<Map.Entry<String, String>> entries = waiting.entrySet().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public PendingStix next() {
                Map.Entry<String, String> e = entries.next();
                try {
                    StixObject object = new RawStixObject(JSON.readTree(e.getValue()));
                    return PendingStix.heldBack(object);
                } catch (JsonProcessingException unreadable) {
                    throw new StateException("a context object waiting in the state cannot be read: " + e.getKey());
                }
            }
        };
    }

    /**
     * Sentinel's verdict on a batch: what it accepted is held (context objects) or no longer waits;
     * what it refused on the record is in the dead-letter file and settled like any dead letter (not
     * sent again until a replay). Made durable
     * with the next commit; a batch of waiting objects alone is committed here, since no attribute's
     * settlement follows it.
     */
    void settled(List<PendingStix> accepted, List<PendingStix> refused) {
        boolean waitingChanged = false;
        synchronized (this) {
            for (PendingStix p : accepted) {
                hold(p.object());
                waitingChanged |= waiting.remove(waitingKey(p.object())) != null;
            }
            // a dead letter is settled: sent again by a replay, not with every attribute that refers to it
            for (PendingStix p : refused) {
                hold(p.object());
                waitingChanged |= waiting.remove(waitingKey(p.object())) != null;
            }
        }
        if (waitingChanged) {
            store.commit();
        }
    }

    private void hold(StixObject object) {
        if ("indicator".equals(object.type()) || "relationship".equals(object.type())) {
            return;
        }
        String version = object instanceof StixContextObject c ? version(c)
                : object instanceof RawStixObject raw ? version(raw) : null;
        if (version != null) {
            held.put(object.id(), version);
        }
        inFlight.remove(object.id());
        waitingVersions.remove(object.id());
    }

    /** The batch did not get through: what it carried is sent again (in-line by the next attribute, or what waits next cycle). */
    synchronized void released(List<PendingStix> batch) {
        for (PendingStix p : batch) {
            inFlight.remove(p.object().id());
        }
    }

    /** The end of a cycle: nothing is on its way any more. */
    synchronized void cycleEnded() {
        inFlight.clear();
    }

    /** The mapping settings changed: everything is sent again as it is mapped now, context too. */
    synchronized void forget() {
        held.clear();
        waiting.clear();
        inFlight.clear();
        waitingVersions.clear();
    }

    private static String waitingKey(StixObject object) {
        return ("relationship".equals(object.type()) ? RELATIONSHIP : OBJECT) + object.id();
    }

    /** The content Sentinel would show, without the times (which follow the carrying attribute). */
    static String version(StixContextObject object) {
        return object.type() + "|" + object.name() + "|" + object.identityClass() + "|"
                + (object.externalReferences() == null ? "" : references(object.externalReferences()));
    }

    /** The same version, of an object read back from the state. */
    private static String version(RawStixObject raw) {
        com.fasterxml.jackson.databind.JsonNode j = raw.json();
        StringBuilder out = new StringBuilder().append(j.path("type").asText()).append('|')
                .append(text(j, "name")).append('|').append(text(j, "identity_class")).append('|');
        for (com.fasterxml.jackson.databind.JsonNode r : j.path("external_references")) {
            out.append(text(r, "source_name")).append(',').append(text(r, "url")).append(',')
                    .append(text(r, "external_id")).append(';');
        }
        return out.toString();
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode node, String field) {
        com.fasterxml.jackson.databind.JsonNode value = node.get(field);
        return value == null || value.isNull() ? "null" : value.asText();
    }

    private static String references(List<org.mispsentinel.stix.StixIndicator.ExternalReference> refs) {
        StringBuilder out = new StringBuilder();
        for (var r : refs) {
            out.append(r.sourceName()).append(',').append(r.url()).append(',').append(r.externalId()).append(';');
        }
        return out.toString();
    }

    private static String json(StixObject object) {
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a STIX object that cannot be written as JSON: " + object.id(), e);
        }
    }
}
