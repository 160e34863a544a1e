package org.mispsentinel.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import org.mispsentinel.http.TlsFailure;
import org.mispsentinel.misp.MalformedAttribute;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispException;
import org.mispsentinel.misp.MispPage;
import org.mispsentinel.misp.MispQuery;
import org.mispsentinel.misp.MispRead;
import org.mispsentinel.misp.MispRecord;
import org.mispsentinel.misp.ReadPass;
import org.mispsentinel.misp.Text;
import org.mispsentinel.stix.SkipReasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One poll cycle from the first MISP page to the checkpoint: paging state, counters, and the rule
 * that the checkpoint moves only when everything fetched was delivered, dead-lettered or
 * deliberately skipped. The routes call it at each step; one cycle runs at a time.
 */
public final class SyncCycle {

    private static final Logger LOG = LoggerFactory.getLogger(SyncCycle.class);
    private static final String CYCLE_MDC_KEY = "cycle";

    private final MispQuery query;
    private final Checkpoint checkpoint;
    private final DeliveryLedger ledger;
    private final UploadQueue uploads;
    private final int pageSize;
    private final int lookbackDays;
    private final boolean publishedOnly;
    private final long overlapSeconds;
    private final boolean dryRun;
    private final Clock clock;
    private final LongConsumer mispAnswered;
    private final ProgressLog progress;
    private final Map<String, String> objectIndicatorCarriers = new HashMap<>();

    // the cycle in progress
    private boolean running;
    private boolean replaying;
    private volatile boolean stopped;
    private CycleStats stats = new CycleStats();
    private Instant started;
    private OptionalLong checkpointBefore = OptionalLong.empty();
    private long since;
    private MispRead read;
    private long uploadNanosAtStart;
    private long pageRequestedAt;
    private boolean readingStopped;
    private int objectsUnavailable;

    /**
     * @param publishedOnly   only published events are read, so a publication is what makes attributes visible
     * @param overlapSeconds  how far behind MISP's clock at the start of a cycle the next one begins, for
     *                        what MISP stamped in the moment between that time and its answer
     * @param mispAnswered    told how long each MISP page took, in nanoseconds
     */
    public SyncCycle(MispQuery query, Checkpoint checkpoint, DeliveryLedger ledger, UploadQueue uploads,
                     int pageSize, int lookbackDays, boolean publishedOnly, long overlapSeconds, boolean dryRun,
                     Clock clock, LongConsumer mispAnswered, ProgressLog progress) {
        this.mispAnswered = mispAnswered;
        this.progress = progress;
        this.publishedOnly = publishedOnly;
        this.overlapSeconds = overlapSeconds;
        this.uploads = uploads;
        this.query = query;
        this.checkpoint = checkpoint;
        this.ledger = ledger;
        this.pageSize = pageSize;
        this.lookbackDays = lookbackDays;
        this.dryRun = dryRun;
        this.clock = clock;
    }

    /** Starts a cycle, or answers false when one is already running (the trigger is dropped). */
    public synchronized boolean begin() {
        if (!start(false)) {
            return false;
        }
        LOG.info("poll cycle started: events {} since {}", publishedOnly ? "published" : "changed or published",
                since < 0 ? "(ever)" : Instant.ofEpochSecond(since));
        return true;
    }

    /**
     * Starts a replay of the dead-letter file: a cycle that reads no MISP page and moves no
     * checkpoint, so that its uploads are settled and counted like any other.
     */
    public synchronized boolean beginReplay() {
        if (!start(true)) {
            return false;
        }
        read = new MispRead(query, List.of(), -1, pageSize);
        LOG.info("replay of the dead-letter file started");
        return true;
    }

    private boolean start(boolean replay) {
        if (running) {
            LOG.info("a cycle is still running; this trigger is skipped");
            return false;
        }
        running = true;
        replaying = replay;
        objectIndicatorCarriers.clear();
        readingStopped = false;
        objectsUnavailable = 0;
        stats = new CycleStats();
        started = clock.instant();
        // JSON logs carry it as mdc.cycle: every line of one cycle read MISP on this thread
        MDC.put(CYCLE_MDC_KEY, started.toString());
        checkpointBefore = checkpoint.read();
        since = checkpointBefore.isPresent() ? checkpointBefore.getAsLong()
                : lookbackDays == 0 ? -1 : checkpoint.firstWindow(started.getEpochSecond() - lookbackDays * 86_400L);
        read = new MispRead(query, passes(since), since, pageSize);
        stopped = false;
        uploadNanosAtStart = uploads.busyNanos();
        progress.started(this);
        return true;
    }

    /**
     * What makes attributes newly visible: with published events only, a publication (every edit
     * unpublishes its event first, so a change shows when the event is published again); otherwise
     * any change of the event (attributes added, edited or deleted, tags; MISP moves the event's
     * timestamp for each) and a publication (an import or a pull keeps the event's old timestamp but
     * publishes it now). A first run without a lower bound reads everything up to the window's end.
     */
    private List<ReadPass> passes(long lowerBound) {
        if (publishedOnly) {
            return List.of(ReadPass.PUBLISHED);
        }
        return lowerBound < 0 ? List.of(ReadPass.CHANGED) : List.of(ReadPass.CHANGED, ReadPass.PUBLISHED);
    }

    /** The key of the attribute that carries this version of an object's indicator in this cycle, or null. */
    public synchronized String objectIndicatorCarrier(String indicatorVersion) {
        return objectIndicatorCarriers.get(indicatorVersion);
    }

    public synchronized void carriesObjectIndicator(String indicatorVersion, String attributeKey) {
        objectIndicatorCarriers.put(indicatorVersion, attributeKey);
    }

    public boolean replaying() {
        return replaying;
    }

    public synchronized byte[] nextPageRequest() {
        pageRequestedAt = System.nanoTime();
        return read.nextRequest();
    }

    /** Takes a page in, updates the paging state, and hands its new records on to the split. */
    public synchronized List<MispRecord> pageReceived(MispPage received) {
        long took = System.nanoTime() - pageRequestedAt;
        stats.mispNanos.addAndGet(took);
        mispAnswered.accept(took);
        stats.pages.incrementAndGet();
        List<MispRecord> records = read.accept(received);
        stats.fetched.addAndGet(records.size());
        return records;
    }

    public synchronized boolean hasMorePages() {
        return read.more() && !readingStopped;
    }

    public void malformed(MalformedAttribute m) {
        LOG.warn("skipped attribute {} ({}): {} - {}", m.uuid(), m.type(), m.reason(), m.detail());
        stats.skipped(m.type(), m.reason());
    }

    /** Not a detection in MISP, and nothing of it in Sentinel to revoke. */
    public void notDetection(MispAttribute attribute) {
        if (attribute.deleted()) {
            stats.skipped(Text.clip(attribute.type(), 40), SkipReasons.DELETED);
        } else {
            stats.notToIds();
        }
    }

    public void duplicate() {
        stats.duplicate();
    }

    public void throttled() {
        stats.throttled();
    }

    public CycleStats stats() {
        return stats;
    }

    /** Fails fast once {@link #stopUploads} was called. */
    public void ensureRunning() {
        if (stopped) {
            throw new IllegalStateException("not sent: the cycle was stopped by an earlier error");
        }
    }

    /**
     * Reading MISP failed for good: no more pages, but what was already fetched is still delivered.
     */
    public synchronized void failed(Exception cause) {
        stopReading(describe(cause));
    }

    private void stopReading(String why) {
        String message = Text.clip(why, 600);
        LOG.error("poll cycle failed: {}", message);
        stats.problem(message);
        readingStopped = true;
    }

    /** Fails fast once reading MISP failed for good in this cycle: each retry would wait in vain. */
    public synchronized void ensureMispReachable() {
        if (readingStopped) {
            throw new MispException("not asked: reading MISP stopped earlier in this cycle", false);
        }
    }

    /**
     * The MISP object of {@code attribute} could not be read: the attribute is not sent in this cycle
     * and the checkpoint stays, so the next cycle fetches it again.
     */
    public synchronized void objectLookupFailed(MispAttribute attribute, Exception cause) {
        ledger.remove(attribute.deliveryKey());
        // held back because reading stopped for another reason, which the report names already
        if (!readingStopped || objectsUnavailable > 0) {
            objectsUnavailable++;
        }
        if (!readingStopped) {
            stopReading("reading MISP object " + attribute.objectId() + " failed: " + describe(cause));
        }
    }

    /** Our own exceptions say what happened; anything else (TLS, sockets) gets its kind named. */
    private static String describe(Exception cause) {
        if (cause == null) {
            return "unknown failure";
        }
        if (cause instanceof MispException
                || cause instanceof org.mispsentinel.sentinel.SentinelException) {
            return cause.getMessage();
        }
        return TlsFailure.explain(cause, "MISP").orElseGet(() -> "reading MISP failed: "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    public synchronized boolean running() {
        return running;
    }

    /** True once {@link #stopUploads} was called in this cycle. */
    public boolean uploadsStopped() {
        return stopped;
    }

    /** Sentinel refused access: every further upload would fail the same way, so none is tried. */
    public synchronized void stopUploads(Exception cause) {
        failed(cause);
        stopped = true;
    }

    /**
     * Judges the cycle and moves the checkpoint if it may. Whatever fails here (a state store that
     * is full or closed) is logged and reported, and the cycle counts as over all the same: in
     * scheduled mode a cycle left "running" would make every later trigger a silent no-op.
     */
    public synchronized CycleReport end() {
        try {
            return finish();
        } catch (RuntimeException e) {
            String message = "the end of the cycle failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + Text.clip(e.getMessage(), 300))
                    + "); the checkpoint stays where it was and the next cycle runs as scheduled";
            LOG.error("{}", message);
            stats.problem(message);
            return report(checkpointBefore, stats.problemsSnapshot());
        } finally {
            running = false;
            MDC.remove(CYCLE_MDC_KEY);
        }
    }

    private CycleReport finish() {
        progress.stop();
        if (objectsUnavailable > 0) {
            stats.problem(objectsUnavailable + " attributes of MISP objects were not sent because their object could "
                    + "not be read; the next cycle sends them");
        }
        String unknownTypes = stats.unknownTypesLine();
        if (unknownTypes != null) {
            LOG.warn("{}", unknownTypes);
        }
        int unsettled = ledger.releaseInFlight();
        if (unsettled > 0) {
            stats.problem(unsettled + " attributes were fetched but never settled by Sentinel");
        }
        OptionalLong after = checkpointBefore;
        List<String> problems = stats.problemsSnapshot();
        boolean mayAdvance = problems.isEmpty() && stats.failed.get() == 0 && !dryRun && !replaying;
        if (mayAdvance && read.unsettled()) {
            LOG.warn("attributes kept leaving one second of MISP data while it was read; the next cycle reads this "
                    + "window again");
        } else if (mayAdvance) {
            // MISP's clock, not ours: its timestamps are what the next window is compared with
            long readStart = read.firstServerTime().orElse(started.getEpochSecond());
            checkpoint.advanceTo(Math.max(0, readStart - overlapSeconds), clock.instant(), stats.deadLettered.get() == 0);
            after = checkpoint.read();
        }
        CycleReport report = report(after, problems);
        if (report.clean()) {
            LOG.info("{}", report.summary());
        } else {
            LOG.warn("{}", report.summary());
        }
        return report;
    }

    private CycleReport report(OptionalLong after, List<String> problems) {
        return new CycleReport(stats.pages.get(), stats.fetched.get(), stats.notToIds.get(),
                stats.skippedSnapshot(), stats.duplicates.get(), stats.revoked.get(), stats.indicators.get(),
                stats.delivered.get(),
                stats.deadLettered.get(), stats.failed.get(), stats.batches.get(), stats.throttled.get(),
                Duration.between(started, clock.instant()), Duration.ofNanos(stats.mispNanos.get()),
                Duration.ofNanos(stats.mapNanos.get()), Duration.ofNanos(uploads.busyNanos() - uploadNanosAtStart),
                checkpointBefore, after, problems,
                // stopping the uploads also stops reading: only a stop of its own is MISP's failure
                readingStopped && !stopped, stopped || stats.failed.get() > 0);
    }
}
