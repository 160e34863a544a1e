package org.mispsentinel.delivery;

import java.util.OptionalLong;
import org.h2.mvstore.MVMap;

/**
 * How far MISP has been read: every attribute with a timestamp before it was delivered or
 * deliberately skipped. Only {@link SyncCycle} moves it, and only after a cycle without failures.
 */
public final class Checkpoint {

    private static final String KEY = "misp.checkpoint";

    private final StateStore store;
    private final MVMap<String, String> meta;

    public Checkpoint(StateStore store) {
        this.store = store;
        this.meta = store.map("meta");
    }

    public OptionalLong read() {
        String value = meta.get(KEY);
        return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
    }

    public void advanceTo(long epochSeconds) {
        OptionalLong current = read();
        if (current.isPresent() && current.getAsLong() >= epochSeconds) {
            return;
        }
        meta.put(KEY, Long.toString(epochSeconds));
        store.commitAndSync();
    }
}
