package org.mispsentinel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.hc.client5.http.classic.HttpClient;
import org.mispsentinel.config.PropertyLookup;
import org.mispsentinel.config.Settings;
import org.mispsentinel.config.SettingsReader;
import org.mispsentinel.delivery.BatchSettlement;
import org.mispsentinel.delivery.DeliveryStop;
import org.mispsentinel.delivery.DryRunOutput;
import org.mispsentinel.delivery.MappingStep;
import org.mispsentinel.delivery.Ownership;
import org.mispsentinel.delivery.ProgressLog;
import org.mispsentinel.delivery.Refresh;
import org.mispsentinel.delivery.SyncCycle;
import org.mispsentinel.delivery.RetryBudget;
import org.mispsentinel.delivery.UploadQueue;
import org.mispsentinel.delivery.Uploads;
import org.mispsentinel.delivery.Withdrawals;
import org.mispsentinel.delivery.WorkspaceTurn;
import org.mispsentinel.delivery.StateStores;
import org.mispsentinel.state.PostgresStateStores;
import org.mispsentinel.delivery.WorkspaceDelivery;
import org.mispsentinel.delivery.WorkspaceLedgers;
import org.mispsentinel.delivery.DeadLetterReplay;
import org.mispsentinel.http.OutboundHttp;
import org.mispsentinel.http.ProxySettings;
import org.mispsentinel.http.TlsContexts;
import org.mispsentinel.misp.MispClient;
import org.mispsentinel.misp.MispObjectReader;
import org.mispsentinel.misp.MispPageReader;
import org.mispsentinel.misp.MispQuery;
import org.mispsentinel.misp.MispRetry;
import org.mispsentinel.misp.ObjectLookup;
import org.mispsentinel.observe.DomainMetrics;
import org.mispsentinel.observe.ObservedTokens;
import org.mispsentinel.observe.Readiness;
import org.mispsentinel.observe.ReadinessCheck;
import org.mispsentinel.sentinel.BearerToken;
import org.mispsentinel.sentinel.MsalTokenProvider;
import org.mispsentinel.sentinel.SentinelAccessDeniedException;
import org.mispsentinel.sentinel.SentinelRequest;
import org.mispsentinel.sentinel.SentinelIdentity;
import org.mispsentinel.sentinel.SentinelResponse;
import org.mispsentinel.sentinel.TokenProvider;
import org.mispsentinel.stix.StixMapper;

/**
 * Creates the beans the routes refer to by name, from validated settings. Runtime-neutral: the
 * camel-main launcher and an OSGi activator both hand it their registry.
 */
public final class MispSentinelBeans implements AutoCloseable {

    /** The name Camel's micrometer support binds its registry under (MicrometerConstants.METRICS_REGISTRY_NAME). */
    private static final String CAMEL_METERS = "metricsRegistry";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private DeliveryStop stop;
    /** null until the first {@link #quiesce}, then whether that stop was clean */
    private Boolean stoppedCleanly;
    private Ownership ownership;

    /** With a meter registry of its own, bound as {@code metricsRegistry}, for a runtime without Camel's. */
    public MispSentinelBeans(Settings settings, ProxySettings proxy, DryRunOutput dryRunOutput, Clock clock,
                             BiConsumer<String, Object> registry) {
        this(settings, proxy, dryRunOutput, clock, registry, ownMeters(registry));
    }

    /** @param meters where the domain series (misp_sentinel_*) are registered */
    public MispSentinelBeans(Settings settings, ProxySettings proxy, DryRunOutput dryRunOutput, Clock clock,
                             BiConsumer<String, Object> registry, MeterRegistry meters) {
        this(settings, proxy, dryRunOutput, clock, Clock.systemUTC(), registry, meters);
    }

    /** @param hostClock this host's clock, which MISP's Date header is judged against */
    public MispSentinelBeans(Settings settings, ProxySettings proxy, DryRunOutput dryRunOutput, Clock clock,
                             Clock hostClock, BiConsumer<String, Object> registry, MeterRegistry meters) {
        this(settings, proxy, dryRunOutput, clock, hostClock, registry, meters, false);
    }

    /**
     * @param clustered whether a cluster service shares the workspaces among several instances: then
     *                  a workspace's state is opened when this instance gains it, not at start
     */
    public MispSentinelBeans(Settings settings, ProxySettings proxy, DryRunOutput dryRunOutput, Clock clock,
                             Clock hostClock, BiConsumer<String, Object> registry, MeterRegistry meters,
                             boolean clustered) {
        try {
            bind(settings, proxy, dryRunOutput, clock, hostClock, registry, meters, clustered);
        } catch (RuntimeException e) {
            // a bad setting found half-way must not leave the state file locked
            closeQuietly();
            throw e;
        }
    }

    /**
     * The beans from the settings the context's properties resolve (and so with environment variables
     * overriding them), bound in its registry: how both the jar and the bundle start. The domain
     * series go into Camel's own meter registry when it has one (camel-main's
     * {@code camel.metrics.enabled}), so that /observe/metrics serves both.
     */
    public static MispSentinelBeans bindTo(CamelContext context) {
        return bindTo(context, Clock.systemUTC());
    }

    /** @param clock the beans' clock (a test's, to cross days without waiting) */
    public static MispSentinelBeans bindTo(CamelContext context, Clock clock) {
        return bindTo(context, clock, Clock.systemUTC());
    }

    /**
     * @param clock     the beans' clock (a test's, to cross days without waiting)
     * @param hostClock this host's clock, which MISP's Date header is judged against (a test's, to play
     *                  a MISP whose clock disagrees with it)
     */
    public static MispSentinelBeans bindTo(CamelContext context, Clock clock, Clock hostClock) {
        PropertyLookup lookup = key -> context.getPropertiesComponent().resolveProperty(key);
        SettingsReader reader = new SettingsReader(lookup);
        DryRunOutput dryRun = new DryRunOutput(reader.string("dry-run.output", "-"));
        MeterRegistry camelMeters = context.getRegistry().lookupByNameAndType(CAMEL_METERS, MeterRegistry.class);
        BiConsumer<String, Object> registry = (name, bean) -> context.getRegistry().bind(name, bean);
        // camel.beans.clusterService, bound by camel-main before the beans: camel-main leaves it in the
        // registry, so it is made a service of the context here, which starts and stops it with itself
        java.util.Set<CamelClusterService> clusterServices = context.getRegistry().findByType(CamelClusterService.class);
        for (CamelClusterService service : clusterServices) {
            if (service.getId() == null) {
                // one name for this instance: the one the shared state records it under as an owner
                service.setId(reader.optional("state.instance-id").orElseGet(Settings::defaultInstanceId));
            }
            if (!context.hasServices(CamelClusterService.class).contains(service)) {
                try {
                    context.addService(service, true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("the cluster service could not be added: " + e.getMessage(), e);
                }
            }
        }
        boolean clustered = !context.hasServices(CamelClusterService.class).isEmpty();
        MispSentinelBeans beans = new MispSentinelBeans(Settings.load(lookup), ProxySettings.load(reader), dryRun,
                clock, hostClock, registry, camelMeters != null ? camelMeters : ownMeters(registry), clustered);
        if (clustered) {
            // the views are joined once the cluster service runs, which is when the context has started
            try {
                context.addStartupListener((started, alreadyStarted) -> beans.ownership.join(started));
            } catch (Exception e) {
                beans.closeQuietly();
                throw new IllegalStateException("the cluster views could not be joined: " + e.getMessage(), e);
            }
        }
        return beans;
    }

    /** A registry of the beans' own where the runtime has none; nothing serves it, so the simplest kind. */
    private static MeterRegistry ownMeters(BiConsumer<String, Object> registry) {
        MeterRegistry meters = new SimpleMeterRegistry();
        registry.accept(CAMEL_METERS, meters);
        return meters;
    }

    private void bind(Settings settings, ProxySettings proxy, DryRunOutput dryRunOutput, Clock clock, Clock hostClock,
                      BiConsumer<String, Object> registry, MeterRegistry meters, boolean clustered) {
        Settings.Misp misp = settings.misp();
        boolean insecure = settings.tls().insecure();

        // Everything a setting can make fail comes before the state files are opened and locked.
        SSLContext ssl = TlsContexts.create(settings.tls());
        Readiness readiness = new Readiness(settings.operations().failedCycles(),
                settings.operations().maxCycleAge(), clock);
        // one token and one request budget per app registration: Sentinel limits requests per calling identity
        Map<String, SentinelIdentity> identities = SentinelIdentity.of(settings.workspaces(),
                workspace -> new ObservedTokens(workspace.azure() == null ? new NoTokens()
                        : new MsalTokenProvider(workspace.azure(), ssl, proxy, clock), readiness));
        HttpClient mispHttp = MispClient.create(misp, settings.tls(), ssl, proxy);
        resources.add((Closeable) mispHttp);
        registry.accept("mispHttpClient", mispHttp);
        // a client per identity, which sends its token: the route picks the one of the workspace
        Duration sentinelTimeout = settings.workspaces().stream().map(w -> w.sentinel().timeout())
                .max(Duration::compareTo).orElseThrow();
        for (SentinelIdentity identity : identities.values()) {
            HttpClient sentinelHttp = OutboundHttp.client(ssl, insecure, sentinelTimeout,
                    new BearerToken(identity.tokens()), proxy);
            resources.add((Closeable) sentinelHttp);
            registry.accept(identity.httpClient(), sentinelHttp);
        }
        List<StixMapper> mappers = new ArrayList<>();
        for (Settings.Workspace workspace : settings.workspaces()) {
            mappers.add(new StixMapper(workspace.mapping().toBuilder().clock(clock).build()));
        }

        boolean several = settings.workspaces().size() > 1;
        StateStores stores = StateStores.FILES;
        if (settings.state().shared().isPresent()) {
            // a dry run reads the shared state and writes nothing to it, as it works on a copy of the files
            PostgresStateStores shared = PostgresStateStores.connect(settings.state().shared().get(), settings.dryRun());
            resources.add(shared);
            stores = shared;
        }
        List<WorkspaceDelivery> workspaces = new ArrayList<>();
        for (int i = 0; i < settings.workspaces().size(); i++) {
            Settings.Workspace workspace = settings.workspaces().get(i);
            // several instances: opened (claimed) by the instance that owns it, at the start of its cycle
            WorkspaceDelivery delivery = clustered
                    ? WorkspaceDelivery.unclaimed(stores, workspace, misp, identities.get(workspace.identity()),
                            mappers.get(i), settings.state().dedupCapacity(), several)
                    : WorkspaceDelivery.open(stores, workspace, misp, identities.get(workspace.identity()),
                            mappers.get(i), settings.state().dedupCapacity(), several);
            resources.add(delivery);
            workspaces.add(delivery);
        }
        ownership = new Ownership(workspaces.stream().map(WorkspaceDelivery::name).toList(),
                settings.cluster().viewPrefix(), lost -> workspaces.stream().filter(w -> w.name().equals(lost))
                        .forEach(WorkspaceDelivery::ownershipLost));
        // one batch waits for the hand-over at most: when a workspace's queue is full, reading waits
        UploadQueue handOver = UploadQueue.handOver("misp-sentinel-batches");
        resources.add(handOver::shutdownNow);
        // closed before the stores (resources close in reverse): an upload still in flight at
        // shutdown gets its answer settled, so a batch Sentinel took then is not sent again
        resources.add(this::quiesce);
        // the creator organisation (identity, created_by_ref) is in restSearch answers only with includeContext
        boolean creatorNeeded = settings.workspaces().stream().anyMatch(w -> w.sentinel().stixObjectsApi()
                || w.mapping().includeCreatedByRef());
        DomainMetrics metrics = new DomainMetrics(meters, clock, workspaces,
                () -> identities.values().stream().mapToLong(i -> i.tokens().tokensAcquired()).sum(),
                ownership::owns);
        Settings.Sentinel first = settings.workspaces().get(0).sentinel();
        ProgressLog progress = new ProgressLog(settings.operations().progressInterval(),
                identities.values().stream().mapToInt(SentinelIdentity::requestsPerMinute).sum(), first.batchSize());
        resources.add(progress);
        MispQuery query = new MispQuery(misp, creatorNeeded);
        SyncCycle cycle = new SyncCycle(query, workspaces, misp.pageSize(),
                misp.lookbackDays(), misp.publishedOnly(), misp.cursorOverlapSeconds(), settings.dryRun(), clock,
                hostClock, metrics::mispAnswered, progress);
        BatchSettlement settlement = new BatchSettlement(cycle);
        cycle.ownership(ownership);
        registry.accept("ownership", ownership);

        stop = new DeliveryStop(cycle, handOver, workspaces, settings.operations().settle());
        registry.accept("domainMetrics", metrics);
        registry.accept("readiness", readiness);
        registry.accept("readinessCheck", new ReadinessCheck(readiness,
                () -> workspaces.stream().allMatch(w -> !w.held() || w.store().usable())));
        registry.accept("mispPageReader", new MispPageReader());
        registry.accept("mispRetry", new MispRetry(misp.maxRetries(), misp.retryDelay()));
        registry.accept("mispObjectReader", new MispObjectReader());
        registry.accept("objectLookup", new ObjectLookup(misp.objectLookup(), misp.pageSize()));
        registry.accept("syncCycle", cycle);
        registry.accept("refresh", new Refresh(settings.refresh(), query, misp.pageSize(), cycle, clock));
        registry.accept("deliveryLedger", new WorkspaceLedgers());
        Withdrawals withdrawals = new Withdrawals();
        registry.accept("withdrawals", withdrawals);
        registry.accept("workspaceTurn", new WorkspaceTurn(cycle, withdrawals));
        registry.accept("deadLetters", new DeadLetterReplay(workspaces));
        registry.accept("mappingStep", new MappingStep(clock));
        registry.accept("batchSettlement", settlement);
        registry.accept("sentinelRequest", new SentinelRequest());
        registry.accept("sentinelResponse", new SentinelResponse(clock));
        registry.accept("dryRunOutput", dryRunOutput);
        registry.accept("batchHandOver", handOver);
        registry.accept("uploads", new Uploads(handOver, workspaces, settlement,
                several ? settings.operations().maxQueueWait() : null));
        registry.accept("retryBudget", new RetryBudget(metrics::retried));
    }

    /**
     * Before the runtime stops its routes, and before the state store closes: the upload in flight
     * gets its answer and is settled in the store within {@code shutdown.settle-seconds}, no further
     * batch starts (the rest of the cycle is released), and the cycle ends with its summary. Stopping the routes first may cut the connection of a batch Sentinel takes
     * anyway, and closing the store first loses its settlement: either way it would be sent again.
     *
     * @return whether the stop was clean (see {@link DeliveryStop#stop})
     */
    public synchronized boolean quiesce() {
        if (stoppedCleanly == null) {
            stoppedCleanly = stop == null || stop.stop();
            if (ownership != null) {
                // after the batch in flight settled (its commit still needs this instance's claim)
                ownership.leave();
            }
        }
        return stoppedCleanly;
    }

    @Override
    public void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception suppressed) {
            // the original failure is the one worth reporting
        }
    }

    /** A dry run without Azure settings: uploading is impossible, so asking for a token is a bug. */
    private static final class NoTokens implements TokenProvider {
        @Override
        public String accessToken() {
            throw new SentinelAccessDeniedException("no Azure settings: uploads are not possible in this run");
        }

        @Override
        public void invalidate() {
        }

        @Override
        public long tokensAcquired() {
            return 0;
        }
    }
}
