package org.mispsentinel.delivery;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.h2.mvstore.MVMap;
import org.mispsentinel.misp.MispAttribute;

/**
 * What Sentinel holds, in the state store: for each attribute (by
 * {@link org.mispsentinel.misp.MispAttribute#stableKey}) whether it is held unwithdrawn, and the
 * indicators of it Sentinel holds with their valid_until and whether they are revoked. A MISP object's
 * indicator, which several attributes share, has an entry of its own ({@code object/<uuid>}), so that
 * it counts once. Entries are written only when Sentinel accepted what they describe, by the ledger
 * under its lock, and committed with its store commit.
 *
 * <p>Beside the entries: their insertion order, so that at most {@code capacity} are kept (the oldest go
 * first, as in {@link BoundedKeySet}); an index of the unrevoked indicators by valid_until
 * ({@code %019d/<holder>/<n>}), so that "what expires before T" is a range and counting it is two key
 * positions; and running totals, so that nothing needs a pass over all entries.
 */
final class Inventory {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Inventory.class);

    static final String ENTRIES = "inventory";
    static final String ORDER = "inventory-order";
    static final String EXPIRY = "inventory-expiry";
    static final String TOTALS = "inventory-totals";
    static final String HELD = "held";
    static final String REVOKED = "revoked";
    static final String ACCEPTED = "accepted";
    static final String REVOCATIONS = "revocations";
    private static final String OBJECT = "object/";

    private final MVMap<String, String> entries;
    private final MVMap<Long, String> order;
    private final MVMap<String, String> expiry;
    private final MVMap<String, Long> totals;
    private final int capacity;
    private long nextSequence;

    Inventory(StateStore store, int capacity) {
        this.entries = store.map(ENTRIES);
        this.order = store.map(ORDER);
        this.expiry = store.map(EXPIRY);
        this.totals = store.map(TOTALS);
        this.capacity = capacity;
        Long last = order.lastKey();
        this.nextSequence = last == null ? 0 : last + 1;
    }

    /** The entry that holds the indicator of a whole MISP object, whichever of its attributes sent it. */
    static String objectHolder(String objectUuid) {
        return OBJECT + objectUuid;
    }

    boolean isLive(String stableKey) {
        Holding h = get(stableKey);
        return h != null && h.live();
    }

    /** Sentinel holds {@code stableKey} unwithdrawn ({@code live}), or its withdrawal was delivered, or there is nothing to revoke. */
    void live(String stableKey, boolean live) {
        Holding h = get(stableKey);
        if (h == null && !live) {
            return;
        }
        put(stableKey, (h == null ? create(stableKey) : h).live(live));
    }

    /**
     * Sentinel accepted these indicators for {@code holder}, which replace what it held for it.
     *
     * @param carrier for an object's entry, the attribute that sent it unrevoked; null to keep the last one
     */
    void holds(String holder, List<Holding.Token> tokens, String carrier) {
        Holding before = get(holder);
        if (before == null) {
            before = create(holder);
        }
        unindex(holder, before);
        Holding after = before.holding(tokens, carrier);
        index(holder, after);
        put(holder, after);
    }

    void accepted(long indicators, long revocations) {
        add(ACCEPTED, indicators);
        add(REVOCATIONS, revocations);
    }

    /** Refresh passes the candidate over until its entry is next written: MISP no longer shows it. */
    void leaveToExpire(String holder) {
        Holding h = get(holder);
        if (h != null) {
            put(holder, h.leftToExpire(true));
        }
    }

    /**
     * The attributes to send again because an indicator of theirs expires after {@code now} and
     * before {@code before}, soonest first, at most {@code max}. An indicator already refreshed has
     * moved in the index to its new valid_until, so it comes again only when that one is due.
     */
    List<RefreshCandidate> dueForRefresh(long now, long before, int max) {
        List<RefreshCandidate> due = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        String end = bound(before);
        Iterator<String> rows = expiry.keyIterator(bound(now + 1));
        while (rows.hasNext() && due.size() < max) {
            String row = rows.next();
            if (row.compareTo(end) >= 0) {
                break;
            }
            String holder = row.substring(20, row.lastIndexOf('/'));
            if (!seen.add(holder)) {
                continue;
            }
            Holding h = get(holder);
            String attribute = h == null ? null : holder.startsWith(OBJECT) ? h.carrier() : holder;
            if (attribute == null || h.leftToExpire() || !isLive(attribute)) {
                continue;
            }
            due.add(new RefreshCandidate(holder, attribute, MispAttribute.uuidOfStableKey(attribute),
                    Long.parseLong(row.substring(0, 19))));
        }
        return due;
    }

    void trim() {
        while (entries.size() > capacity) {
            String holder = order.remove(order.firstKey());
            String value = entries.remove(holder);
            if (value != null) {
                unindex(holder, Holding.decode(value));
            }
        }
    }

    /** The numbers of {@code --report}, at {@code now}; zeros for a store that has no inventory yet. */
    static HeldIndicators read(StateStore store, long now, long horizonSeconds) {
        if (!store.has(TOTALS)) {
            return new HeldIndicators(0, 0, 0, 0, 0);
        }
        MVMap<String, Long> totals = store.map(TOTALS);
        MVMap<String, String> expiry = store.map(EXPIRY);
        long expired = position(expiry, now + 1);
        return new HeldIndicators(total(totals, ACCEPTED) + total(totals, REVOCATIONS), total(totals, REVOCATIONS),
                total(totals, HELD) - expired, total(totals, REVOKED),
                position(expiry, now + horizonSeconds + 1) - expired);
    }

    /**
     * Takes over the set of live attributes that states written before the inventory kept: they stay
     * revocable; what Sentinel holds of them is counted from their next delivery on. Only keys of the
     * stable shape are taken: some older states kept bare uuids, which no attribute's key would ever
     * match, so adopting them would only pretend that their withdrawals can be revoked.
     */
    boolean adoptLiveSet(StateStore store, String name) {
        if (!store.has(name)) {
            return false;
        }
        MVMap<Long, String> oldOrder = store.map(name + "-order");
        long other = 0;
        for (String key : oldOrder.values()) {
            if (MispAttribute.isStableKey(key)) {
                live(key, true);
            } else {
                other++;
            }
        }
        if (other > 0) {
            LOG.warn("{} entries of the old state's list of live attributes were not of the form event/uuid and were "
                    + "not taken over: should MISP withdraw those attributes, their indicators are not revoked in "
                    + "Sentinel but expire there at their valid_until", other);
        }
        store.remove(name);
        store.remove(name + "-order");
        trim();
        return true;
    }

    /** How many rows come before the first with a valid_until at or after {@code epochSeconds}. */
    private static long position(MVMap<String, String> expiry, long epochSeconds) {
        long index = expiry.getKeyIndex(bound(epochSeconds));
        return index >= 0 ? index : -(index + 1);
    }

    private static long total(MVMap<String, Long> totals, String name) {
        Long value = totals.get(name);
        return value == null ? 0 : value;
    }

    private static String bound(long epochSeconds) {
        return String.format("%019d", Math.max(0, epochSeconds));
    }

    private void index(String holder, Holding h) {
        List<Holding.Token> tokens = h.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            Holding.Token t = tokens.get(i);
            if (!t.revoked() && t.expires()) {
                expiry.put(bound(t.validUntil()) + "/" + holder + "/" + i, "");
            }
        }
        add(HELD, h.count(false));
        add(REVOKED, h.count(true));
    }

    private void unindex(String holder, Holding h) {
        List<Holding.Token> tokens = h.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            Holding.Token t = tokens.get(i);
            if (!t.revoked() && t.expires()) {
                expiry.remove(bound(t.validUntil()) + "/" + holder + "/" + i);
            }
        }
        add(HELD, -h.count(false));
        add(REVOKED, -h.count(true));
    }

    private void add(String name, long delta) {
        if (delta != 0) {
            totals.put(name, total(totals, name) + delta);
        }
    }

    private Holding get(String holder) {
        String value = entries.get(holder);
        return value == null ? null : Holding.decode(value);
    }

    /** A new entry is the newest; one already there keeps its age. */
    private Holding create(String holder) {
        long sequence = nextSequence++;
        order.put(sequence, holder);
        return Holding.fresh(sequence);
    }

    private void put(String holder, Holding h) {
        entries.put(holder, h.encode());
    }
}
