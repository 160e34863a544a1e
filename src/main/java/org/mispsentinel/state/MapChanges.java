package org.mispsentinel.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The keys of one mirrored map written since the last commit, and whether it was cleared since.
 * A key is marked after its write, and a commit unmarks it before reading its value, so that a
 * write racing a commit is either in it or marked for the next one.
 */
final class MapChanges {

    private final Set<Object> keys = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean cleared = new AtomicBoolean();

    void changed(Object key) {
        keys.add(key);
    }

    void cleared() {
        keys.clear();
        cleared.set(true);
    }

    /** What a commit takes; {@link #restore} gives it back when the commit fails. */
    Taken take() {
        boolean wasCleared = cleared.getAndSet(false);
        List<Object> taken = new ArrayList<>();
        for (Object key : keys) {
            if (keys.remove(key)) {
                taken.add(key);
            }
        }
        return new Taken(wasCleared, taken);
    }

    void restore(Taken taken) {
        if (taken.cleared()) {
            cleared.set(true);
        }
        keys.addAll(taken.keys());
    }

    void forget() {
        keys.clear();
        cleared.set(false);
    }

    record Taken(boolean cleared, List<Object> keys) {

        boolean isEmpty() {
            return !cleared && keys.isEmpty();
        }
    }
}
