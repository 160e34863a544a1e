package org.mispsentinel.delivery;

import org.h2.mvstore.MVMap;

/**
 * A set of strings in the state store that keeps at most {@code capacity} of them, dropping the
 * oldest first. Two maps: the keys with their insertion number, and the numbers in order, so that
 * finding the oldest and removing any one key are both cheap. Callers hold their own lock and
 * commit the store.
 */
final class BoundedKeySet {

    private final MVMap<String, Long> keys;
    private final MVMap<Long, String> order;
    private final int capacity;
    private long nextSequence;

    BoundedKeySet(StateStore store, String name, int capacity) {
        this.keys = store.map(name);
        this.order = store.map(name + "-order");
        this.capacity = capacity;
        Long last = order.lastKey();
        this.nextSequence = last == null ? 0 : last + 1;
    }

    boolean contains(String key) {
        return keys.containsKey(key);
    }

    /** Adds {@code key} as the newest; a key already there keeps its age. */
    void add(String key) {
        if (keys.containsKey(key)) {
            return;
        }
        long sequence = nextSequence++;
        keys.put(key, sequence);
        order.put(sequence, key);
    }

    void remove(String key) {
        Long sequence = keys.remove(key);
        if (sequence != null) {
            order.remove(sequence);
        }
    }

    void clear() {
        keys.clear();
        order.clear();
        nextSequence = 0;
    }

    void trim() {
        while (keys.size() > capacity) {
            Long oldest = order.firstKey();
            keys.remove(order.remove(oldest));
        }
    }
}
