package org.mispsentinel.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.IdempotentRepository;

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
 * <p>Beside the keys, the ledger knows which attributes Sentinel holds indicators of ("live",
 * by {@link org.mispsentinel.misp.MispAttribute#stableKey}), so that an attribute MISP withdraws (deletes, or clears {@code to_ids}) is revoked only
 * if it was ever sent. A committed attribute becomes live; a committed revocation ends that.
 *
 * <p>Both persistent sets are FIFOs of bounded size: the oldest entries are dropped first. A dropped
 * key can only cause a harmless re-send (Sentinel upserts by id), never a loss; a dropped live attribute
 * means a withdrawal of that old attribute is no longer revoked, and its indicator ends at its
 * {@code valid_until}.
 */
public final class DeliveryLedger implements IdempotentRepository {

    private final StateStore store;
    private final BoundedKeySet delivered;
    private final BoundedKeySet live;
    private final Map<String, Pending> inFlight = new HashMap<>();

    public DeliveryLedger(StateStore store, int capacity) {
        this.store = store;
        this.delivered = new BoundedKeySet(store, "delivered", capacity);
        this.live = new BoundedKeySet(store, "live", capacity);
    }

    private static final class Pending {
        int outstanding;
        boolean failed;
        List<String> followers;
        /** The stable key of the attribute this key stands for, once mapped; null for keys of other things. */
        String attribute;
        boolean revocation;
    }

    /**
     * Forgets what was delivered, though not what Sentinel holds (that is still revoked when MISP
     * withdraws it): every attribute is then sent again as it is mapped now.
     */
    public synchronized void forgetDeliveries() {
        delivered.clear();
        store.commit();
    }

    @Override
    public synchronized boolean add(String key) {
        if (delivered.contains(key) || inFlight.containsKey(key)) {
            return false;
        }
        inFlight.put(key, new Pending());
        return true;
    }

    @Override
    public synchronized boolean contains(String key) {
        return delivered.contains(key) || inFlight.containsKey(key);
    }

    /** Camel calls this when the exchange failed before reaching the upload: the key is released. */
    @Override
    public synchronized boolean remove(String key) {
        Pending pending = inFlight.remove(key);
        if (pending != null && pending.followers != null) {
            pending.followers.forEach(inFlight::remove);
        }
        return pending != null;
    }

    /** Deliberately a no-op: reaching the end of the split proves nothing; {@link #settle} decides. */
    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        inFlight.clear();
    }

    /** The attribute became {@code count} indicators, each of which will be settled. */
    public synchronized void expect(String key, int count) {
        Pending pending = inFlight.get(key);
        if (pending != null) {
            pending.outstanding += count;
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
        return live.contains(attribute);
    }

    /** Nothing of {@code attribute} is to be revoked any more (its indicators expired, say). */
    public synchronized void forget(String attribute) {
        live.remove(attribute);
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
            live.trim();
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
        if (pending != null && pending.attribute != null) {
            if (pending.revocation) {
                live.remove(pending.attribute);
            } else {
                live.add(pending.attribute);
            }
        }
    }

    private static Iterable<String> concat(Collection<String> a, Collection<String> b) {
        List<String> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }
}
