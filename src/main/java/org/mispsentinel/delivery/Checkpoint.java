package org.mispsentinel.delivery;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.h2.mvstore.MVMap;

/**
 * How far MISP has been read, on MISP's own clock: every attribute that became visible before it
 * (its event published or changed, see {@code MispRead}) was delivered or deliberately skipped. Only {@link SyncCycle} moves it, and only after a cycle without failures.
 * Beside it, when the last successful cycle ended, on our clock.
 */
public final class Checkpoint {

    static final String META = "meta";
    static final String KEY = "misp.checkpoint";
    static final String LAST_SUCCESS = "cycle.last-success";
    private static final String FIRST_WINDOW = "misp.first-window";

    private final StateStore store;
    private final MVMap<String, String> meta;

    public Checkpoint(StateStore store) {
        this.store = store;
        this.meta = store.map(META);
    }

    public OptionalLong read() {
        return number(meta, KEY);
    }

    /** The end of the last successful cycle, if one ever was. */
    public Optional<Instant> lastSuccess() {
        OptionalLong at = number(meta, LAST_SUCCESS);
        return at.isPresent() ? Optional.of(Instant.ofEpochSecond(at.getAsLong())) : Optional.empty();
    }

    static OptionalLong number(MVMap<String, String> meta, String key) {
        String value = meta.get(key);
        return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
    }

    /**
     * The lower bound of the first window, fixed by the first cycle that ran without a checkpoint:
     * a first run that fails and is started again reads the same window, instead of one that slid
     * forward with the clock past what the failed run never delivered.
     */
    public long firstWindow(long proposed) {
        String value = meta.get(FIRST_WINDOW);
        if (value != null) {
            return Long.parseLong(value);
        }
        meta.put(FIRST_WINDOW, Long.toString(proposed));
        store.commitAndSync();
        return proposed;
    }

    /** Makes the next cycle read the first window again, as a first run would. */
    public void rewind() {
        meta.remove(KEY);
        store.commitAndSync();
    }

    /**
     * The end of a cycle that may move the checkpoint: it moves to {@code epochSeconds} (never back),
     * and when the cycle was {@code successful} (it also dead-lettered nothing) {@code cycleEnd} is
     * recorded as the last successful cycle, both in one durable commit, so that a torn write loses
     * both or neither.
     */
    public void advanceTo(long epochSeconds, Instant cycleEnd, boolean successful) {
        OptionalLong current = read();
        boolean moves = current.isEmpty() || current.getAsLong() < epochSeconds;
        if (moves) {
            meta.put(KEY, Long.toString(epochSeconds));
        }
        if (successful) {
            meta.put(LAST_SUCCESS, Long.toString(cycleEnd.getEpochSecond()));
        }
        if (moves || successful) {
            store.commitAndSync();
        }
    }
}
