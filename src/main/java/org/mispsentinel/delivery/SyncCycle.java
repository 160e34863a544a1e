package org.mispsentinel.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.mispsentinel.http.TlsFailure;
import org.mispsentinel.misp.MalformedAttribute;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispException;
import org.mispsentinel.misp.MispPage;
import org.mispsentinel.misp.MispQuery;
import org.mispsentinel.misp.MispRecord;
import org.mispsentinel.misp.Text;
import org.mispsentinel.stix.SkipReasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll cycle from the first MISP page to the checkpoint: paging state, counters, and the rule
 * that the checkpoint moves only when everything fetched was delivered, dead-lettered or
 * deliberately skipped. The routes call it at each step; one cycle runs at a time.
 */
public final class SyncCycle {

    private static final Logger LOG = LoggerFactory.getLogger(SyncCycle.class);

    private final MispQuery query;
    private final Checkpoint checkpoint;
    private final DeliveryLedger ledger;
    private final UploadQueue uploads;
    private final int pageSize;
    private final int lookbackDays;
    private final boolean dryRun;
    private final Clock clock;
    private final Map<String, String> objectIndicatorCarriers = new HashMap<>();

    // the cycle in progress
    private boolean running;
    private boolean replaying;
    private volatile boolean stopped;
    private CycleStats stats = new CycleStats();
    private Instant started;
    private OptionalLong checkpointBefore = OptionalLong.empty();
    private long since;
    private int page;
    private boolean morePages;
    private long firstResultCount;
    private long maxTimestamp;
    private long uploadNanosAtStart;
    private long pageRequestedAt;
    private boolean readingStopped;
    private int objectsUnavailable;

    public SyncCycle(MispQuery query, Checkpoint checkpoint, DeliveryLedger ledger, UploadQueue uploads,
                     int pageSize, int lookbackDays, boolean dryRun, Clock clock) {
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
        LOG.info("poll cycle started: attributes with timestamp >= {}", since < 0 ? "(all)" : Instant.ofEpochSecond(since));
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
        morePages = false;
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
        checkpointBefore = checkpoint.read();
        since = checkpointBefore.orElse(lookbackDays == 0 ? -1 : started.getEpochSecond() - lookbackDays * 86_400L);
        page = 0;
        morePages = true;
        stopped = false;
        firstResultCount = -1;
        maxTimestamp = -1;
        uploadNanosAtStart = uploads.busyNanos();
        return true;
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
        page++;
        pageRequestedAt = System.nanoTime();
        return query.page(since, page);
    }

    /** Takes a page in, updates the paging state, and hands its records on to the split. */
    public synchronized List<MispRecord> pageReceived(MispPage received) {
        List<MispRecord> records = received.records();
        stats.mispNanos.addAndGet(System.nanoTime() - pageRequestedAt);
        stats.pages.incrementAndGet();
        stats.fetched.addAndGet(records.size());
        for (MispRecord r : records) {
            if (r instanceof MispAttribute a) {
                maxTimestamp = Math.max(maxTimestamp, a.timestamp());
            }
        }
        long count = received.resultCount();
        if (page == 1) {
            firstResultCount = count;
        } else if (count >= 0 && firstResultCount >= 0 && count != firstResultCount) {
            stats.problem("MISP results changed while paging (X-Result-Count " + firstResultCount + " then " + count
                    + "); the next cycle reads this window again");
            firstResultCount = count;
        }
        if (records.isEmpty() && page > 1 && firstResultCount > (long) (page - 1) * pageSize) {
            stats.problem("MISP returned an empty page " + page + " although it announced " + firstResultCount
                    + " results; paging stopped and the next cycle reads this window again");
        }
        morePages = records.size() >= pageSize;
        return records;
    }

    public synchronized boolean hasMorePages() {
        return morePages;
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
        morePages = false;
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
        objectsUnavailable++;
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

    public synchronized CycleReport end() {
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
        if (mayAdvance && maxTimestamp >= 0) {
            // Never past our own clock: a MISP clock ahead of ours would otherwise let the checkpoint
            // skip attributes stamped later by a correctly set clock.
            long next = Math.min(maxTimestamp, started.getEpochSecond());
            checkpoint.advanceTo(next);
            after = checkpoint.read();
        }
        CycleReport report = new CycleReport(stats.pages.get(), stats.fetched.get(), stats.notToIds.get(),
                stats.skippedSnapshot(), stats.duplicates.get(), stats.revoked.get(), stats.indicators.get(),
                stats.delivered.get(),
                stats.deadLettered.get(), stats.failed.get(), stats.batches.get(), stats.throttled.get(),
                Duration.between(started, clock.instant()), Duration.ofNanos(stats.mispNanos.get()),
                Duration.ofNanos(stats.mapNanos.get()), Duration.ofNanos(uploads.busyNanos() - uploadNanosAtStart),
                checkpointBefore, after, problems);
        if (report.clean()) {
            LOG.info("{}", report.summary());
        } else {
            LOG.warn("{}", report.summary());
        }
        running = false;
        return report;
    }
}
