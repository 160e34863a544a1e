package org.mispsentinel.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** The counters of one poll cycle; each step of the routes adds to its own. */
public final class CycleStats {

    final AtomicLong pages = new AtomicLong();
    final AtomicLong fetched = new AtomicLong();
    final AtomicLong notToIds = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong indicators = new AtomicLong();
    final AtomicLong revoked = new AtomicLong();
    final AtomicLong refreshed = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong context = new AtomicLong();
    final AtomicLong contextWaiting = new AtomicLong();
    final AtomicLong mispNanos = new AtomicLong();
    final AtomicLong mapNanos = new AtomicLong();
    private static final int UUIDS_PER_UNKNOWN_TYPE = 20;
    private final Map<String, Long> skipped = new TreeMap<>();
    private final Map<String, List<String>> unknownTypes = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    /** The counters a progress line shows, of several added up: a snapshot. */
    static CycleStats sum(List<CycleStats> all) {
        CycleStats total = new CycleStats();
        for (CycleStats s : all) {
            total.pages.addAndGet(s.pages.get());
            total.fetched.addAndGet(s.fetched.get());
            total.indicators.addAndGet(s.indicators.get());
            total.delivered.addAndGet(s.delivered.get());
            total.deadLettered.addAndGet(s.deadLettered.get());
            total.failed.addAndGet(s.failed.get());
        }
        return total;
    }

    public void notToIds() {
        notToIds.incrementAndGet();
    }

    public void duplicate() {
        duplicates.incrementAndGet();
    }

    /** An attribute MISP withdrew, whose indicators go out revoked. */
    public void revoked() {
        revoked.incrementAndGet();
    }

    /** An attribute whose indicators go out again before they expire. */
    public void refreshed() {
        refreshed.incrementAndGet();
    }

    public void indicators(int n) {
        indicators.addAndGet(n);
    }

    /** {@code what} is the MISP type, or "malformed"; {@code reason} a short stable word. */
    public synchronized void skipped(String what, String reason) {
        skipped.merge(what + "/" + reason, 1L, Long::sum);
    }

    /** An attribute of a type MISP does not define: counted with the others, and named in one line per cycle. */
    public synchronized void unknownType(String type, String uuid) {
        skipped(type, "unknown-type");
        List<String> uuids = unknownTypes.computeIfAbsent(type, t -> new ArrayList<>());
        if (uuids.size() < UUIDS_PER_UNKNOWN_TYPE) {
            uuids.add(uuid);
        }
    }

    /** The cycle's one line about types MISP does not define, or null when there were none. */
    public synchronized String unknownTypesLine() {
        if (unknownTypes.isEmpty()) {
            return null;
        }
        StringBuilder line = new StringBuilder("attributes of types MISP does not define (a typo or a custom type) "
                + "were not sent:");
        unknownTypes.forEach((type, uuids) -> line.append(' ').append(type).append('=')
                .append(skipped.get(type + "/unknown-type")).append(' ').append(uuids));
        return line.toString();
    }

    public void batch() {
        batches.incrementAndGet();
    }

    public void delivered(int n) {
        delivered.addAndGet(n);
    }

    public void deadLettered(int n) {
        deadLettered.addAndGet(n);
    }

    public void failed(int n) {
        failed.addAndGet(n);
    }

    /** Context objects and relationships Sentinel accepted. */
    public void context(int n) {
        context.addAndGet(n);
    }

    /** What still waits in the state for the indicators of a later cycle, at the end of this one. */
    void contextWaiting(int n) {
        contextWaiting.set(n);
    }

    public void mapped(long nanos) {
        mapNanos.addAndGet(nanos);
    }

    public void throttled() {
        throttled.incrementAndGet();
    }

    /** Something that makes this cycle incomplete: the checkpoint will not move. */
    public synchronized void problem(String what) {
        problems.add(what);
    }

    public synchronized Map<String, Long> skippedSnapshot() {
        return Map.copyOf(skipped);
    }

    public synchronized List<String> problemsSnapshot() {
        return List.copyOf(problems);
    }
}
