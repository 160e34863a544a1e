package org.mispsentinel.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.mispsentinel.config.Settings;
import org.mispsentinel.config.WorkspaceFilter;
import org.mispsentinel.misp.LogLine;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispTag;
import org.mispsentinel.misp.ReadPass;
import org.mispsentinel.sentinel.SentinelIdentity;
import org.mispsentinel.stix.StixMapper;
import org.mispsentinel.stix.ThreatContext;
import org.mispsentinel.stix.Tlp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery to one Sentinel workspace: its own state (dedup ledger, checkpoint, dead letters),
 * its own upload thread, and its share of each cycle. MISP is read once per cycle for all of them;
 * each attribute then goes to every workspace whose filter takes it. One that fails, is throttled
 * or falls behind stops only its own share: its checkpoint stays, and what it missed is read again
 * for it next cycle while the others, whose ledgers know it, pass over it.
 */
public final class WorkspaceDelivery implements AutoCloseable {

    /** The exchange property that tells the routes' beans which workspace an exchange is for. */
    public static final String PROPERTY = "workspace";

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceDelivery.class);

    private final Settings.Workspace settings;
    private final UploadQueue uploads;
    private final StixMapper mapper;
    private final ThreatContext context;
    private final SentinelIdentity identity;
    private final String label;
    /** how the state is opened again when this instance gains the workspace (see {@link #claim}) */
    private final StateOpener opener;
    /** null while another instance owns the workspace */
    private volatile State state;

    static final int OBJECT_CARRIERS = 10_000;

    /** The workspace's state while this instance holds it. */
    private record State(StateStore store, DeliveryLedger ledger, Checkpoint checkpoint, HeldContext heldContext) {
    }

    @FunctionalInterface
    private interface StateOpener {
        State open();
    }

    // the cycle in progress
    private volatile CycleStats stats = new CycleStats();
    private volatile boolean stopped;
    /** whether this instance owned the workspace at the start of the cycle and still does */
    private volatile boolean owned = true;
    /**
     * The attribute carrying each object indicator version sent in this cycle, the latest few only:
     * an object's members are read together (one second, one event), so a bounded set serves them,
     * where one entry per object of the window grew with it. A member whose carrier was forgotten
     * sends the indicator once more, which Sentinel takes as the same version.
     */
    private final Map<String, String> objectIndicatorCarriers = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > OBJECT_CARRIERS;
        }
    };
    private OptionalLong checkpointBefore = OptionalLong.empty();
    private long uploadNanosAtStart;

    /**
     * @param named    whether messages name the workspace (there are several)
     * @param context  null for the Upload Indicators API, which takes indicators only
     */
    private WorkspaceDelivery(Settings.Workspace settings, StateOpener opener, UploadQueue uploads, StixMapper mapper,
                              ThreatContext context, SentinelIdentity identity, boolean named) {
        this.settings = settings;
        this.opener = opener;
        this.uploads = uploads;
        this.mapper = mapper;
        this.context = context;
        this.identity = identity;
        this.label = named ? "workspace " + settings.name() + ": " : "";
    }

    /**
     * Opens the workspace's state (and locks it) and applies a change of its mapping settings or filters.
     *
     * @param stores where the workspace's state is kept
     * @param read  how MISP is read for every workspace (its filters decide what any workspace can get)
     * @param named whether there are several workspaces, whose messages then name theirs
     */
    public static WorkspaceDelivery open(StateStores stores, Settings.Workspace settings, Settings.Misp read,
                                         SentinelIdentity identity, StixMapper mapper, int dedupCapacity,
                                         boolean named) {
        WorkspaceDelivery delivery = unclaimed(stores, settings, read, identity, mapper, dedupCapacity, named);
        delivery.claim();
        return delivery;
    }

    /**
     * The workspace without its state: with several instances, the one that owns it opens it (and
     * with a shared store, claims it) when it gains the workspace ({@link #claim}).
     */
    public static WorkspaceDelivery unclaimed(StateStores stores, Settings.Workspace settings, Settings.Misp read,
                                              SentinelIdentity identity, StixMapper mapper, int dedupCapacity,
                                              boolean named) {
        String label = named ? "workspace " + settings.name() + ": " : "";
        Settings.Sentinel sentinel = settings.sentinel();
        StateOpener opener = () -> {
            StateStore store = stores.open(settings);
            // the state's place follows from the settings alone; said once, for whoever looks for it
            LOG.info("{}state in {}", label, store.where());
            try {
                DeliveryLedger ledger = new DeliveryLedger(store, dedupCapacity, mapper.options().clock());
                Checkpoint checkpoint = new Checkpoint(store);
                boolean mappingChanged = MappingChange.apply(store, settings.mapping(), sentinel.stixObjectsApi(),
                        sentinel.sourceSystem(), ledger, checkpoint);
                FilterChange.apply(store, read, settings.filter(), label, checkpoint);
                HeldContext heldContext = new HeldContext(store);
                if (mappingChanged) {
                    heldContext.forget();
                    store.commit();
                }
                return new State(store, ledger, checkpoint, heldContext);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        };
        UploadQueue uploads = new UploadQueue(sentinel.queuedBatches(),
                named ? "misp-sentinel-upload-" + settings.name() : "misp-sentinel-upload");
        return new WorkspaceDelivery(settings, opener, uploads, mapper,
                sentinel.stixObjectsApi() ? new ThreatContext() : null, identity, named);
    }

    /**
     * Opens the state of a workspace this instance now owns (a shared store resumes from what the
     * last owner committed). Between cycles only: a cycle works on the state it started with.
     */
    public synchronized void claim() {
        if (state == null) {
            state = opener.open();
        }
    }

    /** Closes the state of a workspace another instance owns now; between cycles only. */
    public synchronized void release() {
        State held = state;
        state = null;
        if (held != null) {
            held.store().close();
        }
    }

    /** Whether this instance holds the workspace's state (it owns the workspace). */
    public boolean held() {
        return state != null;
    }

    private State state() {
        State held = state;
        if (held == null) {
            throw new StateException(label + "this instance does not own the workspace, so its state is not open here");
        }
        return held;
    }

    public String name() {
        return settings.name();
    }

    public Settings.Workspace settings() {
        return settings;
    }

    /** For the routes: the upload settings of this workspace. */
    public Settings.Sentinel sentinel() {
        return settings.sentinel();
    }

    public SentinelIdentity identity() {
        return identity;
    }

    public DeliveryLedger ledger() {
        return state().ledger();
    }

    public Checkpoint checkpoint() {
        return state().checkpoint();
    }

    public DeadLetters deadLetters() {
        return state().store().deadLetters();
    }

    public StateStore store() {
        return state().store();
    }

    UploadQueue uploads() {
        return uploads;
    }

    StixMapper mapper() {
        return mapper;
    }

    /** null for the Upload Indicators API */
    ThreatContext context() {
        return context;
    }

    /** Which context objects Sentinel holds, and what waits for the end of the cycle. */
    HeldContext heldContext() {
        return state().heldContext();
    }

    /**
     * For the routes: the context that waited for this cycle's indicators (sentinel.context=
     * after-indicators), to be sent now. Nothing while this workspace's uploads are stopped: an
     * indicator a relationship points from may not be in Sentinel, so it waits for the next cycle.
     */
    public java.util.Iterator<PendingStix> contextAfterIndicators() {
        if (stopped || settings.sentinel().context() == Settings.ContextDelivery.OFF) {
            return java.util.Collections.emptyIterator();
        }
        java.util.Iterator<PendingStix> due = heldContext().due();
        // a batch that fails stops the uploads: what is left is not read from the state only to be released
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return !stopped && due.hasNext();
            }

            @Override
            public PendingStix next() {
                return due.next();
            }
        };
    }

    /** "workspace NAME: " in front of messages when there are several, else nothing. */
    String label() {
        return label;
    }

    /** The counters of this workspace in the cycle in progress. */
    public CycleStats stats() {
        return stats;
    }

    /**
     * Where reading MISP must start for this workspace: its checkpoint, else its first window (fixed
     * once, so that a first run that failed reads the same window again); -1 for everything.
     */
    long lowerBound(long cycleStart, int lookbackDays) {
        Checkpoint checkpoint = checkpoint();
        OptionalLong at = checkpoint.read();
        if (at.isPresent()) {
            return at.getAsLong();
        }
        long start = ReadPass.lookbackStart(cycleStart, lookbackDays);
        return start < 0 ? -1 : checkpoint.firstWindow(start);
    }

    synchronized void begin() {
        begin(true);
    }

    /**
     * @param owns whether this instance owns the workspace for this cycle: one another instance owns
     *             takes nothing, and its state stays closed here
     */
    synchronized void begin(boolean owns) {
        stats = new CycleStats();
        // one another instance owns takes nothing in this cycle
        stopped = !owns;
        owned = owns;
        objectIndicatorCarriers.clear();
        if (owns) {
            heldContext().cycleEnded();
            checkpointBefore = checkpoint().read();
        } else {
            checkpointBefore = OptionalLong.empty();
        }
        uploadNanosAtStart = uploads.busyNanos();
    }

    /** Whether this instance owns the workspace in the cycle in progress (it did at its start and still does). */
    public boolean ownedInCycle() {
        return owned;
    }

    /**
     * Another instance took the workspace over: no batch is sent for it from now on (a wait for a 429
     * ends), what is queued is released without a commit, and the cycle moves none of its state.
     */
    public synchronized void ownershipLost() {
        if (!owned) {
            return;
        }
        owned = false;
        stopped = true;
        notifyAll();
    }

    /** Whether this workspace takes the attribute: its filter says yes, and its share of the cycle still runs. */
    public boolean wants(MispAttribute attribute) {
        if (stopped || !owned) {
            return false;
        }
        WorkspaceFilter filter = settings.filter();
        if (filter.acceptsAll()) {
            return true;
        }
        List<String> tags = new ArrayList<>(attribute.tags().size());
        Tlp tlp = null;
        for (MispTag tag : attribute.tags()) {
            if (tag != null && tag.name() != null) {
                tags.add(tag.name().toLowerCase(Locale.ROOT));
                // the strictest marking of the attribute and its event decides what may be shared
                tlp = Tlp.stricter(tlp, Tlp.fromTag(tag.name()));
            }
        }
        return filter.accepts(attribute.type(), tags, tlp != null ? tlp : settings.mapping().defaultTlp());
    }

    /** Fails fast once {@link #stopUploads} was called. */
    public void ensureRunning() {
        if (stopped) {
            throw new IllegalStateException("not sent: " + label + "the cycle was stopped by an earlier error");
        }
    }

    public boolean uploadsStopped() {
        return stopped;
    }

    /** This workspace's uploads cannot go on in this cycle: the rest of its share waits for the next one. */
    public synchronized void stopUploads(Exception cause) {
        if (stopped) {
            return;
        }
        String message = label + LogLine.clip(cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage(), 600);
        LOG.error("poll cycle failed: {}", message);
        stop(message);
    }

    /** misp-sentinel is stopping: no further batch, and a wait for Sentinel's 429 ends now (not an error). */
    synchronized void stopForShutdown(String why) {
        if (!stopped) {
            stop(label + why);
        }
    }

    private void stop(String problem) {
        stats.problem(problem);
        stopped = true;
        notifyAll();
    }

    /**
     * Waits {@code millis}, or less if this workspace's uploads are stopped meanwhile (a 429's wait
     * must not hold a stopping process).
     *
     * @return whether the uploads were stopped
     */
    public synchronized boolean awaitStopped(long millis) throws InterruptedException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = millis; !stopped && left > 0;
             left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
            wait(left);
        }
        return stopped;
    }

    /** The key of the attribute that carries this version of an object's indicator in this cycle, or null. */
    synchronized String objectIndicatorCarrier(String indicatorVersion) {
        return objectIndicatorCarriers.get(indicatorVersion);
    }

    synchronized void carriesObjectIndicator(String indicatorVersion, String attributeKey) {
        objectIndicatorCarriers.put(indicatorVersion, attributeKey);
    }

    OptionalLong checkpointBefore() {
        return checkpointBefore;
    }

    Duration uploadTime() {
        return Duration.ofNanos(uploads.busyNanos() - uploadNanosAtStart);
    }

    /**
     * Ends this workspace's share of the cycle: what is still in flight is released, and the
     * checkpoint moves to {@code readStart} when everything it was given was settled.
     *
     * @param readClean whether MISP was read completely (and the run may move checkpoints at all)
     * @return the checkpoint after the cycle
     */
    OptionalLong finish(boolean readClean, long readStart, java.time.Instant now) {
        String unknownTypes = stats.unknownTypesLine();
        if (unknownTypes != null) {
            LOG.warn("{}{}", label, unknownTypes);
        }
        if (!owned || state == null) {
            // owned elsewhere: the owner reads and settles this window; nothing of it is recorded here
            if (state != null) {
                ledger().releaseInFlight();
            }
            return checkpointBefore;
        }
        DeliveryLedger ledger = ledger();
        Checkpoint checkpoint = checkpoint();
        int unsettled = ledger.releaseInFlight();
        HeldContext heldContext = heldContext();
        heldContext.cycleEnded();
        stats.contextWaiting(heldContext.waiting());
        if (unsettled > 0) {
            stats.problem(label + unsettled + " attributes were fetched but never settled by Sentinel");
        }
        OptionalLong after = checkpointBefore;
        if (readClean && stats.problemsSnapshot().isEmpty() && stats.failed.get() == 0) {
            checkpoint.advanceTo(readStart, now, stats.deadLettered.get() == 0);
            after = checkpoint.read();
        }
        // the state is whole now, nothing in flight: --report reads this while the store is locked
        StateSummary.publish(store(), now);
        return after;
    }

    /**
     * Stops taking batches; the one in flight finishes within {@code timeout}, else its thread is
     * interrupted (the batch is released, not committed, so it is sent again after the restart).
     *
     * @return whether the batch in flight settled within {@code timeout}
     */
    boolean quiesce(Duration timeout) throws InterruptedException {
        uploads.shutdown();
        if (uploads.awaitTermination(Math.max(0, timeout.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            return true;
        }
        uploads.shutdownNow();
        return false;
    }

    @Override
    public void close() {
        uploads.shutdownNow();
        release();
    }
}
