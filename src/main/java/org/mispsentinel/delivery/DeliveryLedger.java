package org.mispsentinel.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mispsentinel.stix.RawStixObject;
import org.mispsentinel.stix.StixIndicator;

/**
 * The idempotent store of one workspace behind the route's {@code idempotentConsumer} (through
 * {@link WorkspaceLedgers}), keyed by
 * {@code timestamp/uuid} so that an updated attribute is delivered again.
 *
 * <p>Camel's idempotent consumer would mark a key as done when the split exchange reaches the
 * aggregator, long before Sentinel has seen it. Here a key is only <em>in flight</em> until the
 * upload step reports on every indicator made from that attribute: it is committed to the
 * persistent store when all of them were accepted and released when any failed, so a failed batch
 * is fetched and sent again. In-flight keys live in memory only: after a crash they are gone and the
 * attributes come again from MISP, since the checkpoint did not move past them.
 *
 * <p>Several attributes of one MISP object can become one indicator. The first of them carries it;
 * the others {@link #follow} that key and share its fate.
 *
 * <p>Beside the keys, the ledger keeps the {@link Inventory} of what Sentinel holds: which attributes
 * it holds unwithdrawn ("live", by {@link org.mispsentinel.misp.MispAttribute#stableKey}), so that an
 * attribute MISP withdraws (deletes, or clears {@code to_ids}) is revoked only if it was ever sent, and
 * which indicators of them it holds, with their valid_until. A committed attribute becomes live; a
 * committed revocation ends that. What is recorded is what the mapping step made of the version
 * committed, less what Sentinel refused on the record.
 *
 * <p>Both are bounded. The keys are a FIFO: a dropped key can only cause a harmless re-send (Sentinel
 * upserts by id), never a loss. The inventory drops withdrawn and expired attributes first and a live
 * one only when nothing else is left, with a warning: a withdrawal of that attribute is then no longer
 * revoked, it is no longer refreshed (its indicator ends at its {@code valid_until}), and it is no
 * longer counted by {@code --report}.
 */
public final class DeliveryLedger {

    private final StateStore store;
    private final BoundedKeySet delivered;
    private final Inventory inventory;
    private final java.time.Clock clock;
    private final Map<String, Pending> inFlight = new HashMap<>();

    public DeliveryLedger(StateStore store, int capacity) {
        this(store, capacity, java.time.Clock.systemUTC());
    }

    /** @param clock what "expired" is judged by when the inventory is full */
    public DeliveryLedger(StateStore store, int capacity, java.time.Clock clock) {
        this.store = store;
        this.clock = clock;
        this.delivered = new BoundedKeySet(store, "delivered", capacity);
        this.inventory = new Inventory(store, capacity);
        if (inventory.adoptLiveSet(store, "live")) {
            store.commit();
        }
    }

    private static final class Pending {
        int outstanding;
        boolean failed;
        List<String> followers;
        /** The stable key of the attribute this key stands for, once mapped; null for keys of other things. */
        String attribute;
        boolean revocation;
        /** What was made of it for Sentinel, once mapped; null for followers and keys of other things. */
        List<PendingStix> sent;
        boolean wholeObject;
    }

    /**
     * Forgets what was delivered, though not what Sentinel holds (that is still revoked when MISP
     * withdraws it): every attribute is then sent again as it is mapped now.
     */
    public synchronized void forgetDeliveries() {
        delivered.clear();
        store.commit();
    }

    /** Takes {@code key} in flight; false when it was delivered or is in flight already. */
    public synchronized boolean add(String key) {
        if (delivered.contains(key) || inFlight.containsKey(key)) {
            return false;
        }
        inFlight.put(key, new Pending());
        return true;
    }

    public synchronized boolean contains(String key) {
        return delivered.contains(key) || inFlight.containsKey(key);
    }

    /** Releases a key in flight (its exchange failed before reaching the upload), with its followers. */
    public synchronized boolean remove(String key) {
        Pending pending = inFlight.remove(key);
        if (pending != null && pending.followers != null) {
            pending.followers.forEach(inFlight::remove);
        }
        return pending != null;
    }

    /** The attribute became {@code count} indicators, each of which will be settled. */
    public synchronized void expect(String key, int count) {
        Pending pending = inFlight.get(key);
        if (pending != null) {
            pending.outstanding += count;
        }
    }

    /**
     * The attribute became these objects for Sentinel, each of which will be settled. {@code wholeObject}:
     * its one indicator is its MISP object's, which other attributes of that object share.
     */
    public synchronized void expect(String key, List<PendingStix> objects, boolean wholeObject) {
        Pending pending = inFlight.get(key);
        if (pending != null) {
            pending.outstanding += objects.size();
            pending.sent = objects;
            pending.wholeObject = wholeObject;
        }
    }

    /**
     * {@code key} is a version of {@code attribute} (its stable key): when it is committed, Sentinel
     * holds indicators of that attribute, or, for a {@code revocation}, holds them revoked.
     */
    public synchronized void describe(String key, String attribute, boolean revocation) {
        Pending pending = inFlight.get(key);
        if (pending != null) {
            pending.attribute = attribute;
            pending.revocation = revocation;
        }
    }

    /** True when Sentinel holds unrevoked indicators of {@code attribute}, as far as we know. */
    public synchronized boolean isLive(String attribute) {
        return inventory.isLive(attribute);
    }

    /** Nothing of {@code attribute} is to be revoked any more (its indicators expired, say). */
    public synchronized void forget(String attribute) {
        inventory.live(attribute, false);
    }

    /**
     * The attributes whose indicators in Sentinel expire within {@code lead} of {@code now}, or
     * expired within {@code overdue} before it (their refresh did not get through in time), soonest
     * first, at most {@code max}: the ones to ask MISP for and send again with a new valid_until.
     * Once that is accepted, they come again when the new one is near.
     */
    public synchronized List<RefreshCandidate> dueForRefresh(Instant now, Duration lead, Duration overdue, int max) {
        long at = now.getEpochSecond();
        return inventory.dueForRefresh(at - overdue.getSeconds(), at + lead.getSeconds(), max);
    }

    /** MISP no longer shows the candidate: it is not asked for again until MISP shows it again. */
    public synchronized void leaveToExpire(RefreshCandidate candidate) {
        inventory.leaveToExpire(candidate.stableKey());
    }

    /**
     * MISP shows the attribute as it was delivered (read again unchanged, say after its event was
     * published again): if a refresh had found it missing meanwhile, refresh takes it up again.
     */
    public synchronized void shownAgain(String attribute) {
        inventory.shownAgain(attribute);
    }

    /**
     * True when Sentinel holds an unrevoked indicator of {@code attribute}, or of the MISP object
     * {@code objectUuid} (null: none) it belongs to, that is still valid at {@code now}.
     */
    public synchronized boolean holdsActive(String attribute, String objectUuid, Instant now) {
        long at = now.getEpochSecond();
        return inventory.holdsActive(attribute, at)
                || (objectUuid != null && inventory.holdsActive(Inventory.objectHolder(objectUuid), at));
    }

    /**
     * {@code follower} went out inside the indicator {@code leader} carries: it is delivered when that
     * indicator is accepted, and released when it is not. Answers false when {@code leader} already
     * failed, and the follower must be sent on its own.
     */
    public synchronized boolean follow(String follower, String leader) {
        Pending pending = inFlight.get(leader);
        if (pending != null) {
            if (pending.followers == null) {
                pending.followers = new ArrayList<>();
            }
            pending.followers.add(follower);
            return true;
        }
        Pending own = delivered.contains(leader) ? inFlight.remove(follower) : null;
        if (own != null) {
            // made durable by the next settlement or at the latest with the checkpoint
            commit(follower, own);
            return true;
        }
        return false;
    }

    /**
     * Records Sentinel's verdict on one batch: {@code accepted} and {@code failed} hold one attribute
     * key per indicator. Keys whose indicators are all settled are committed or released, and the
     * commit is made durable before this returns, so that the checkpoint can never get ahead of it.
     */
    public void settle(Collection<String> accepted, Collection<String> failed) {
        if (settleInMemory(accepted, failed)) {
            // outside the lock: the poll thread's add() need not wait for the disk
            store.commit();
        }
    }

    private synchronized boolean settleInMemory(Collection<String> accepted, Collection<String> failed) {
        for (String key : failed) {
            Pending pending = inFlight.get(key);
            if (pending != null) {
                pending.failed = true;
                pending.outstanding--;
            }
        }
        for (String key : accepted) {
            Pending pending = inFlight.get(key);
            if (pending != null) {
                pending.outstanding--;
            }
        }
        boolean wrote = false;
        for (String key : concat(accepted, failed)) {
            Pending pending = inFlight.get(key);
            if (pending != null && pending.outstanding <= 0) {
                inFlight.remove(key);
                List<String> followers = pending.followers == null ? List.of() : pending.followers;
                for (String follower : followers) {
                    Pending own = inFlight.remove(follower);
                    if (!pending.failed) {
                        commit(follower, own);
                    }
                }
                if (!pending.failed) {
                    commit(key, pending);
                    wrote = true;
                }
            }
        }
        if (wrote) {
            delivered.trim();
            inventory.trim(clock.instant().getEpochSecond());
        }
        return wrote;
    }

    /**
     * A replay of the dead-letter file got these accepted: Sentinel now holds them, so their attributes
     * are in the inventory like any delivery (refreshed, revoked when MISP withdraws them, counted).
     * What Sentinel holds of such an attribute is then the indicator replayed.
     */
    public void replayAccepted(List<PendingStix> accepted) {
        if (recordReplayed(accepted)) {
            store.commit();
        }
    }

    private synchronized boolean recordReplayed(List<PendingStix> accepted) {
        boolean wrote = false;
        for (PendingStix p : accepted) {
            if (p.attribute() == null || !(p.object() instanceof RawStixObject raw) || !"indicator".equals(raw.type())) {
                continue;
            }
            boolean revoked = raw.json().path("revoked").asBoolean(false);
            String end = raw.json().path("valid_until").asText("");
            long validUntil;
            try {
                validUntil = end.isEmpty() ? Holding.Token.NONE : Instant.parse(end).getEpochSecond();
            } catch (java.time.format.DateTimeParseException unreadable) {
                continue;
            }
            inventory.live(p.attribute(), !revoked);
            inventory.holds(p.attribute(), List.of(new Holding.Token(validUntil, revoked)), null);
            inventory.accepted(revoked ? 0 : 1, revoked ? 1 : 0);
            wrote = true;
        }
        if (wrote) {
            inventory.trim(clock.instant().getEpochSecond());
        }
        return wrote;
    }

    /** Forgets what is still in flight (end of a cycle); returns how many keys that was. */
    public synchronized int releaseInFlight() {
        int n = inFlight.size();
        inFlight.clear();
        return n;
    }

    private void commit(String key, Pending pending) {
        delivered.add(key);
        if (pending == null || pending.attribute == null) {
            return;
        }
        inventory.live(pending.attribute, !pending.revocation);
        if (pending.sent != null) {
            record(pending);
        }
    }

    /**
     * Sentinel now holds the indicators of this version that it did not refuse. When it refused all of
     * them, it still holds whatever it had of the holder before, so that stays as it was.
     */
    private void record(Pending pending) {
        List<Holding.Token> tokens = new ArrayList<>(2);
        String objectIndicator = null;
        long revocations = 0;
        boolean anyRefused = false;
        for (PendingStix p : pending.sent) {
            if (p.object() instanceof StixIndicator indicator) {
                objectIndicator = indicator.id();
                if (p.wasRefused()) {
                    anyRefused = true;
                    continue;
                }
                boolean revoked = Boolean.TRUE.equals(indicator.revoked());
                revocations += revoked ? 1 : 0;
                tokens.add(new Holding.Token(indicator.validUntil() == null ? Holding.Token.NONE
                        : Instant.parse(indicator.validUntil()).getEpochSecond(), revoked));
            }
        }
        if (objectIndicator == null || (tokens.isEmpty() && anyRefused)) {
            return;
        }
        inventory.accepted(tokens.size() - revocations, revocations);
        if (pending.wholeObject) {
            // a withdrawn member sends the object's indicator too; refresh asks MISP for a member still in it
            inventory.holds(Inventory.objectHolder(objectIndicator.substring(objectIndicator.indexOf("--") + 2)),
                    tokens, pending.revocation ? null : pending.attribute);
        } else {
            inventory.holds(pending.attribute, tokens, null);
        }
    }

    private static Iterable<String> concat(Collection<String> a, Collection<String> b) {
        List<String> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }
}
