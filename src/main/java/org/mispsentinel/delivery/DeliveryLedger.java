package org.mispsentinel.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.IdempotentRepository;
import org.h2.mvstore.MVMap;

/**
 * The idempotent store behind the route's {@code idempotentConsumer}, keyed by
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
 * <p>The persistent set is a FIFO of bounded size: the oldest keys are dropped first. A dropped key
 * can only cause a harmless re-send (Sentinel upserts by id), never a loss.
 */
public final class DeliveryLedger implements IdempotentRepository {

    private final StateStore store;
    private final MVMap<String, Long> delivered;
    private final MVMap<Long, String> order;
    private final int capacity;
    private final Map<String, Pending> inFlight = new HashMap<>();
    private long nextSequence;

    public DeliveryLedger(StateStore store, int capacity) {
        this.store = store;
        this.delivered = store.map("delivered");
        this.order = store.map("delivered-order");
        this.capacity = capacity;
        Long last = order.lastKey();
        this.nextSequence = last == null ? 0 : last + 1;
    }

    private static final class Pending {
        int outstanding;
        boolean failed;
        List<String> followers;
    }

    @Override
    public synchronized boolean add(String key) {
        if (delivered.containsKey(key) || inFlight.containsKey(key)) {
            return false;
        }
        inFlight.put(key, new Pending());
        return true;
    }

    @Override
    public synchronized boolean contains(String key) {
        return delivered.containsKey(key) || inFlight.containsKey(key);
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
        if (delivered.containsKey(leader) && inFlight.remove(follower) != null) {
            // made durable by the next settlement or at the latest with the checkpoint
            record(follower);
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
                followers.forEach(inFlight::remove);
                if (!pending.failed) {
                    record(key);
                    followers.forEach(this::record);
                    wrote = true;
                }
            }
        }
        if (wrote) {
            trim();
        }
        return wrote;
    }

    /** Forgets what is still in flight (end of a cycle); returns how many keys that was. */
    public synchronized int releaseInFlight() {
        int n = inFlight.size();
        inFlight.clear();
        return n;
    }

    private void record(String key) {
        if (delivered.containsKey(key)) {
            return;
        }
        long sequence = nextSequence++;
        delivered.put(key, sequence);
        order.put(sequence, key);
    }

    private void trim() {
        while (delivered.size() > capacity) {
            Long oldest = order.firstKey();
            delivered.remove(order.remove(oldest));
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
