package org.mispsentinel.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import org.mispsentinel.http.TlsFailure;
import org.mispsentinel.misp.LogLine;
import org.mispsentinel.misp.MalformedAttribute;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispException;
import org.mispsentinel.misp.MispPage;
import org.mispsentinel.misp.MispQuery;
import org.mispsentinel.misp.MispRead;
import org.mispsentinel.misp.MispRecord;
import org.mispsentinel.misp.ReadPass;
import org.mispsentinel.stix.SkipReasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One poll cycle from the first MISP page to the checkpoints: the one read of MISP for every
 * workspace (paging state, MISP's counters), the workspaces' shares of it, and the rule that a
 * workspace's checkpoint moves only when MISP was read completely and everything it was given was
 * delivered, dead-lettered or deliberately skipped. The routes call it at each step; one cycle runs
 * at a time.
 */
public final class SyncCycle {

    private static final Logger LOG = LoggerFactory.getLogger(SyncCycle.class);
    private static final String CYCLE_MDC_KEY = "cycle";

    private final MispQuery query;
    private final List<WorkspaceDelivery> workspaces;
    private final int pageSize;
    private final int lookbackDays;
    private final boolean publishedOnly;
    private final long overlapSeconds;
    private final boolean dryRun;
    private final Clock clock;
    /** this host's clock, which MISP's Date header is judged against */
    private final Clock hostClock;
    private final LongConsumer mispAnswered;
    private final ProgressLog progress;
    /** which workspaces this instance delivers: all of them, unless several instances share them */
    private volatile Ownership ownership;

    // the cycle in progress
    private boolean running;
    private boolean replaying;
    /** what reading MISP counted; each workspace counts its deliveries itself */
    private CycleStats stats = new CycleStats();
    private Instant started;
    private long since;
    private MispRead read;
    private long pageRequestedAt;
    // this host's clock around the cycle's first MISP answer, epoch seconds; -1 before it
    private long firstAskedAt;
    private long firstAnsweredAt;
    private volatile boolean readingStopped;
    /** reading stopped on a failure of its own (not because no workspace takes more) */
    private boolean readingFailed;
    private int objectsUnavailable;
    /** for good: misp-sentinel is stopping, no cycle starts any more */
    private boolean stopping;

    /**
     * @param publishedOnly   only published events are read, so a publication is what makes attributes visible
     * @param overlapSeconds  how far behind MISP's clock at the start of a cycle the next one begins, for
     *                        what MISP stamped in the moment between that time and its answer
     * @param mispAnswered    told how long each MISP page took, in nanoseconds
     * @param hostClock       this host's clock, which MISP's Date header must agree with within the overlap
     *                        (the same as {@code clock} but in tests, which move {@code clock} across days)
     */
    public SyncCycle(MispQuery query, List<WorkspaceDelivery> workspaces, int pageSize, int lookbackDays,
                     boolean publishedOnly, long overlapSeconds, boolean dryRun, Clock clock, LongConsumer mispAnswered,
                     ProgressLog progress) {
        this(query, workspaces, pageSize, lookbackDays, publishedOnly, overlapSeconds, dryRun, clock, clock,
                mispAnswered, progress);
    }

    /** With {@code hostClock} apart from {@code clock}. */
    public SyncCycle(MispQuery query, List<WorkspaceDelivery> workspaces, int pageSize, int lookbackDays,
                     boolean publishedOnly, long overlapSeconds, boolean dryRun, Clock clock, Clock hostClock,
                     LongConsumer mispAnswered, ProgressLog progress) {
        this.hostClock = hostClock;
        this.mispAnswered = mispAnswered;
        this.progress = progress;
        this.publishedOnly = publishedOnly;
        this.overlapSeconds = overlapSeconds;
        this.query = query;
        this.workspaces = List.copyOf(workspaces);
        this.pageSize = pageSize;
        this.lookbackDays = lookbackDays;
        this.dryRun = dryRun;
        this.clock = clock;
        this.ownership = new Ownership(workspaces.stream().map(WorkspaceDelivery::name).toList(), "", lost -> { });
    }

    /** With several instances: each cycle delivers the workspaces this instance owns at its start. */
    public void ownership(Ownership value) {
        ownership = value;
    }

    /** Starts a cycle, or answers false when one is already running (the trigger is dropped). */
    public synchronized boolean begin() {
        if (!start(false)) {
            return false;
        }
        if (since == Long.MAX_VALUE) {
            LOG.info("poll cycle started: no workspace is delivered by this instance, so MISP is not read");
        } else {
            LOG.info("poll cycle started: events {} since {}", publishedOnly ? "published" : "changed or published",
                    since < 0 ? "(ever)" : Instant.ofEpochSecond(since));
        }
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
        if (stopping) {
            LOG.info("misp-sentinel is stopping; this trigger is skipped");
            return false;
        }
        if (running) {
            // a cycle that outlives its schedule is news: something it waits for (MISP, a throttled workspace) is slow
            LOG.warn("a cycle is still running (started {} s ago, at {}); this trigger is skipped",
                    Duration.between(started, clock.instant()).toSeconds(), started);
            return false;
        }
        running = true;
        replaying = replay;
        readingStopped = false;
        readingFailed = false;
        objectsUnavailable = 0;
        firstAskedAt = -1;
        firstAnsweredAt = -1;
        stats = new CycleStats();
        started = clock.instant();
        // JSON logs carry it as mdc.cycle; the upload threads take it over with each batch (UploadQueue)
        MDC.put(CYCLE_MDC_KEY, started.toString());
        // one read for all workspaces, from the one furthest behind; the others' ledgers know what they have
        since = Long.MAX_VALUE;
        java.util.Set<String> owned = ownership.owned();
        for (WorkspaceDelivery workspace : workspaces) {
            boolean owns = owned.contains(workspace.name()) && holds(workspace);
            workspace.begin(owns);
            if (owns) {
                since = Math.min(since, workspace.lowerBound(started.getEpochSecond(), lookbackDays));
            }
        }
        if (ownership.clustered()) {
            LOG.info("instance {} delivers {} of the {} workspaces in this cycle{}", ownership.instanceId(),
                    owned.size(), workspaces.size(), owned.isEmpty() ? "" : ": " + String.join(", ", owned));
        }
        if (since == Long.MAX_VALUE) {
            // other instances own every workspace: MISP is not read for none
            read = new MispRead(query, List.of(), -1, pageSize);
        } else {
            read = new MispRead(query, ReadPass.covering(publishedOnly, since), since, pageSize);
        }
        progress.started(this);
        return true;
    }

    /**
     * Opens the state of a workspace this instance owns, and closes the state of one another instance
     * owns: between cycles, so that a cycle works on the state it started with.
     */
    private boolean holds(WorkspaceDelivery workspace) {
        try {
            // lost and won back since its state was opened: another instance's claim came between, so
            // that store is fenced off; the workspace is claimed again and resumes from what was committed
            if (ownership.clustered() && workspace.held() && !workspace.store().owned()) {
                workspace.release();
            }
            workspace.claim();
            return true;
        } catch (RuntimeException e) {
            String message = "workspace " + workspace.name() + ": its state could not be opened ("
                    + LogLine.clip(String.valueOf(e.getMessage()), 300) + "); it is not delivered in this cycle";
            LOG.error("{}", message);
            stats.problem(message);
            return false;
        }
    }

    /** Closes the state of each workspace another instance owns now (between cycles). */
    private void releaseNotOwned() {
        for (WorkspaceDelivery workspace : workspaces) {
            if (!workspace.ownedInCycle() && workspace.held()) {
                try {
                    workspace.release();
                } catch (RuntimeException e) {
                    LOG.warn("workspace {}: closing its state failed: {}", workspace.name(), e.toString());
                }
            }
        }
    }

    /** For the route's fan-out: how many workspaces each attribute is offered to. */
    public int workspaceCount() {
        return workspaces.size();
    }

    public WorkspaceDelivery workspace(int index) {
        return workspaces.get(index);
    }

    /** Whether the workspace takes the attribute (its filter, and its share of the cycle still runs). */
    public boolean wants(WorkspaceDelivery workspace, MispAttribute attribute) {
        return workspace.wants(attribute);
    }

    public boolean replaying() {
        return replaying;
    }

    public synchronized byte[] nextPageRequest() {
        pageRequestedAt = System.nanoTime();
        if (firstAskedAt < 0) {
            firstAskedAt = hostClock.instant().getEpochSecond();
        }
        return read.nextRequest();
    }

    /** Takes a page in, updates the paging state, and hands its new records on to the split. */
    public synchronized List<MispRecord> pageReceived(MispPage received) {
        long took = System.nanoTime() - pageRequestedAt;
        stats.mispNanos.addAndGet(took);
        mispAnswered.accept(took);
        stats.pages.incrementAndGet();
        if (firstAnsweredAt < 0) {
            // rounded up: the Date header has whole seconds, and the answer may come late in one
            firstAnsweredAt = hostClock.instant().plusMillis(999).getEpochSecond();
        }
        List<MispRecord> records = read.accept(received);
        stats.fetched.addAndGet(records.size());
        return records;
    }

    /** False once reading MISP stopped in this cycle (a failure, or no workspace takes more). */
    public boolean mayReadMisp() {
        return !readingStopped && !replaying;
    }

    public synchronized boolean hasMorePages() {
        return read.more() && !readingStopped;
    }

    public void malformed(MalformedAttribute m) {
        LOG.warn("skipped attribute {} ({}): {} - {}", m.uuid(), m.type(), m.reason(), m.detail());
        stats.skipped(m.type(), m.reason());
    }

    /** Not a detection in MISP, and nothing of it in the workspace's Sentinel to revoke. */
    public void notDetection(WorkspaceDelivery workspace, MispAttribute attribute) {
        if (attribute.deleted()) {
            workspace.stats().skipped(LogLine.clip(attribute.type(), 40), SkipReasons.DELETED);
        } else {
            workspace.stats().notToIds();
        }
    }

    /** Read again as the workspace has it: nothing to send, and MISP shows it (see {@link DeliveryLedger#shownAgain}). */
    public void duplicate(WorkspaceDelivery workspace, MispAttribute attribute) {
        workspace.stats().duplicate();
        if (!attribute.withdrawn()) {
            workspace.ledger().shownAgain(attribute.stableKey());
        }
    }

    public void throttled(WorkspaceDelivery workspace) {
        workspace.stats().throttled();
    }

    /** What reading MISP counted in the cycle in progress. */
    public CycleStats stats() {
        return stats;
    }

    /** Reading and every workspace's deliveries, added up: the progress of the whole cycle. */
    CycleStats totals() {
        List<CycleStats> all = new java.util.ArrayList<>();
        all.add(stats);
        workspaces.forEach(w -> all.add(w.stats()));
        return CycleStats.sum(all);
    }

    /** Fails fast once the workspace's uploads were stopped in this cycle. */
    public void ensureRunning(WorkspaceDelivery workspace) {
        workspace.ensureRunning();
    }

    /**
     * Reading MISP failed for good: no more pages, but what was already fetched is still delivered.
     */
    public synchronized void failed(Exception cause) {
        stopReading(describe(cause));
        readingFailed = true;
    }

    private void stopReading(String why) {
        String message = LogLine.clip(why, 600);
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
     * and the checkpoint stays, so the next cycle fetches it again (or, for a refresh, refreshes it).
     *
     * @param ledgerKey the key the exchange holds in flight: the attribute's delivery key, a refresh's
     *                  ({@link Refresh#key}) or a revocation's ({@link Withdrawals#key})
     */
    public synchronized void objectLookupFailed(WorkspaceDelivery workspace, MispAttribute attribute, String ledgerKey,
                                                Exception cause) {
        workspace.ledger().remove(ledgerKey);
        // held back because reading stopped for another reason, which the report names already
        if (!readingStopped || objectsUnavailable > 0) {
            objectsUnavailable++;
        }
        if (!readingStopped) {
            stopReading("reading MISP object " + attribute.objectId() + " failed: " + describe(cause));
            readingFailed = true;
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

    /**
     * The workspace's uploads cannot go on in this cycle (Sentinel refused access, an outage outlasted
     * the retries): none more is tried for it. Reading MISP stops once no workspace takes more.
     */
    public synchronized void stopUploads(WorkspaceDelivery workspace, Exception cause) {
        workspace.stopUploads(cause);
        if (workspaces.stream().allMatch(WorkspaceDelivery::uploadsStopped)) {
            readingStopped = true;
        }
    }

    /**
     * misp-sentinel is stopping: no further page is read and no further batch sent, a wait for a 429
     * ends, and no cycle starts any more. The batch Sentinel is taking is still settled.
     *
     * @return whether a cycle was running
     */
    public synchronized boolean stop() {
        stopping = true;
        if (!running) {
            return false;
        }
        workspaces.forEach(w -> w.stopForShutdown("misp-sentinel was stopped during the cycle; what was not "
                + "delivered is sent after the next start"));
        readingStopped = true;
        return true;
    }

    /** Waits at most {@code timeout} for the cycle in progress, if any, to end; true when none runs. */
    public synchronized boolean awaitEnd(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toMillis(); running && left > 0;
             left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
            wait(left);
        }
        return !running;
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
                    + (e.getMessage() == null ? "" : ": " + LogLine.clip(e.getMessage(), 300))
                    + "); the checkpoint stays where it was and the next cycle runs as scheduled";
            LOG.error("{}", message);
            stats.problem(message);
            return report(WorkspaceDelivery::checkpointBefore);
        } finally {
            releaseNotOwned();
            running = false;
            notifyAll();
            MDC.remove(CYCLE_MDC_KEY);
        }
    }

    private CycleReport finish() {
        progress.stop();
        if (objectsUnavailable > 0) {
            stats.problem(objectsUnavailable + " attributes of MISP objects were not sent because their object could "
                    + "not be read; the next cycle sends them");
        }
        boolean readClean = stats.problemsSnapshot().isEmpty() && !dryRun && !replaying;
        if (readClean && read.unsettled()) {
            LOG.warn("attributes kept leaving one second of MISP data while it was read; the next cycle reads this "
                    + "window again");
            readClean = false;
        }
        // MISP's clock, as its timestamps are what the next window is compared with, where it agrees with ours
        long readStart = -1;
        if (firstAnsweredAt < 0) {
            // MISP was not read at all: there is nothing to move the checkpoint to
            readClean = false;
        } else if (readClean) {
            ClockTrust.Verdict verdict = ClockTrust.judge(read.firstServerTime(), firstAskedAt, firstAnsweredAt,
                    overlapSeconds);
            if (verdict.problem().isPresent()) {
                LOG.warn("{}", verdict.problem().get());
                stats.problem(verdict.problem().get());
                readClean = false;
            } else {
                readStart = verdict.readStart().getAsLong();
            }
        }
        boolean clean = readClean;
        long start = readStart;
        CycleReport report = report(workspace -> finish(workspace, clean, start));
        // with several workspaces the report holds each one's share
        report.workspaces().forEach((name, part) -> {
            if (owned(name)) {
                log(part, "workspace " + name + ": ");
            }
        });
        // a dry run's summary counts as delivered what it wrote out: it must not read as an upload
        log(report, dryRun ? "dry run, nothing uploaded (delivered = written as JSON lines): " : "");
        return report;
    }

    /**
     * Ends one workspace's share. A failure there (its state store closed or full) is that workspace's
     * problem: its checkpoint stays, and the workspaces after it still end their shares and move theirs.
     */
    private OptionalLong finish(WorkspaceDelivery workspace, boolean readClean, long readStart) {
        try {
            return workspace.finish(readClean, readStart, clock.instant());
        } catch (RuntimeException e) {
            String message = workspace.label() + "the end of the cycle failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + LogLine.clip(e.getMessage(), 300))
                    + "); its checkpoint stays where it was and the next cycle runs as scheduled";
            LOG.error("{}", message);
            workspace.stats().problem(message);
            return workspace.checkpointBefore();
        }
    }

    /** The cycle's report from each workspace's share, ended by {@code end}, which gives its checkpoint after. */
    private CycleReport report(java.util.function.Function<WorkspaceDelivery, OptionalLong> end) {
        Map<String, CycleReport> parts = new LinkedHashMap<>();
        for (WorkspaceDelivery workspace : workspaces) {
            parts.put(workspace.name(), report(workspace, end.apply(workspace)));
        }
        return CycleReport.combine(parts, stats.skippedSnapshot(), stats.problemsSnapshot(), readingFailed);
    }

    private boolean owned(String name) {
        return workspaces.stream().anyMatch(w -> w.name().equals(name) && w.ownedInCycle());
    }

    private static void log(CycleReport report, String label) {
        org.slf4j.spi.LoggingEventBuilder line = report.clean() ? LOG.atInfo() : LOG.atWarn();
        report.counters().forEach(line::addKeyValue);
        line.log("{}{}", label, report.summary());
    }

    /** One workspace's share: MISP's counters are the cycle's, the deliveries its own. */
    private CycleReport report(WorkspaceDelivery workspace, OptionalLong after) {
        CycleStats own = workspace.stats();
        return new CycleReport(stats.pages.get(), stats.fetched.get(), own.notToIds.get(),
                own.skippedSnapshot(), own.duplicates.get(), own.revoked.get(), own.refreshed.get(),
                own.indicators.get(),
                own.delivered.get(), own.deadLettered.get(), own.failed.get(), own.batches.get(), own.throttled.get(),
                Duration.between(started, clock.instant()), Duration.ofNanos(stats.mispNanos.get()),
                Duration.ofNanos(own.mapNanos.get()), workspace.uploadTime(),
                workspace.checkpointBefore(), after, own.problemsSnapshot(), false,
                workspace.ownedInCycle() && (workspace.uploadsStopped() || own.failed.get() > 0), Map.of(),
                own.context.get(), own.contextWaiting.get());
    }

}
