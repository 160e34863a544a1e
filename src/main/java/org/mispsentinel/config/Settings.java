package org.mispsentinel.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mispsentinel.stix.MappingOptions;

/**
 * Every setting of misp-sentinel, read and validated once at start-up. Keys are documented in
 * {@code application.properties}; each can be overridden by the environment variable of the same
 * name in upper case with {@code _} for {@code .} and {@code -}.
 */
public record Settings(Misp misp, List<Workspace> workspaces, State state, Tls tls, boolean dryRun,
                       Operations operations, Refresh refresh, Cluster cluster) {

    /** The name of the one workspace of a configuration without {@code workspaces}. */
    public static final String DEFAULT_WORKSPACE = "default";

    private static final java.util.regex.Pattern WORKSPACE_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    /**
     * One Sentinel workspace that MISP's attributes are delivered to, with its own credentials,
     * mapping, filter and state.
     *
     * @param azure     null in a dry run without Azure settings
     * @param stateDir  its dedup store, checkpoint and dead-letter file
     */
    public record Workspace(String name, Azure azure, Sentinel sentinel, MappingOptions mapping, WorkspaceFilter filter,
                            Path stateDir) {

        /**
         * Who asks Sentinel: the app registration in its tenant, or the managed identity. Sentinel's
         * request limit is per calling identity, so workspaces of one identity share a request budget
         * and a token.
         */
        public String identity() {
            if (azure == null) {
                return "(none)";
            }
            return azure.credential() == Credential.MANAGED_IDENTITY ? "managed-identity/" + azure.clientId()
                    : azure.authorityHost() + "/" + azure.tenantId() + "/" + azure.clientId();
        }
    }

    public record Misp(String url, Secret apiKey, int pageSize, int lookbackDays, boolean publishedOnly,
                       boolean toIdsOnly, boolean enforceWarninglist, List<String> tagsInclude,
                       List<String> tagsExclude, List<String> typesInclude, List<String> typesExclude,
                       Duration timeout, int maxRetries, Duration retryDelay, Optional<Path> clientCertificate,
                       Optional<Secret> clientCertificatePassword, boolean includeDecayScore,
                       boolean excludeDecayed, boolean objectLookup, long cursorOverlapSeconds) {
    }

    /**
     * Who asks Entra ID for Sentinel's token, and with what: the setting of {@code credential} is
     * present, the others are empty.
     *
     * @param tenantId empty for a managed identity, whose tenant is the resource's
     * @param clientId the app's, the user-assigned managed identity's, or {@link #SYSTEM_ASSIGNED}
     */
    public record Azure(Credential credential, String authorityHost, String tenantId, String clientId,
                        Optional<Secret> clientSecret, Optional<Path> certificatePath,
                        Optional<Secret> certificatePassword, Optional<Path> federatedTokenFile,
                        Optional<String> managedIdentityClientId, String scope, Duration refreshMargin,
                        Duration timeout) {

        /** Who this credential is, in a message: an app in its tenant, or a managed identity. */
        public String who() {
            if (credential != Credential.MANAGED_IDENTITY) {
                return "app " + clientId + " in tenant " + tenantId;
            }
            return managedIdentityClientId.map(id -> "the user-assigned managed identity " + id)
                    .orElse("the system-assigned managed identity");
        }
    }

    /** The client id of a system-assigned managed identity, which only its token tells. */
    public static final String SYSTEM_ASSIGNED = "(system-assigned managed identity)";

    public record Sentinel(String apiHost, String workspaceId, String sourceSystem, boolean stixObjectsApi,
                           int batchSize, int requestsPerMinute, Duration timeout, int maxRetries,
                           Duration retryDelay, Duration maxRetryDelay, int maxThrottledRetries,
                           Duration defaultRetryAfter, int queuedBatches, boolean revokeWithdrawn,
                           ContextDelivery context) {
    }

    /**
     * When the STIX objects API gets the context of the indicators (attack patterns, threat actors and
     * the relationships to them): beside them, after the indicators of each cycle, or not at all. The
     * creator organisation's identity goes with the indicators whenever they point to it
     * ({@code created_by_ref}).
     */
    public enum ContextDelivery {
        WITH_INDICATORS("with-indicators"), AFTER_INDICATORS("after-indicators"), OFF("off");

        public final String setting;

        ContextDelivery(String setting) {
            this.setting = setting;
        }

        static ContextDelivery of(String setting) {
            for (ContextDelivery c : values()) {
                if (c.setting.equals(setting)) {
                    return c;
                }
            }
            return null;
        }
    }

    /**
     * @param shared the PostgreSQL database every instance keeps the workspaces' state in
     *               ({@code state.store=postgresql}); empty: one H2 file per workspace under {@code dir}
     */
    public record State(Path dir, int dedupCapacity, Optional<SharedState> shared) {

        public State(Path dir, int dedupCapacity) {
            this(dir, dedupCapacity, Optional.empty());
        }
    }

    /**
     * @param instanceId the name this instance is recorded under as the owner of the workspaces it holds
     */
    public record SharedState(String jdbcUrl, Optional<String> user, Optional<Secret> password, int poolSize,
                              String instanceId) {
    }

    /**
     * Indicators still active in MISP are sent again with a new valid_until once theirs is {@code lead}
     * away, at most {@code maxPerCycle} attributes a cycle.
     *
     * @param lead zero: no refresh
     */
    public record Refresh(java.time.Duration lead, int maxPerCycle) {

        public boolean enabled() {
            return !lead.isZero();
        }
    }

    /**
     * @param maxCycleAge       zero: no limit
     * @param progressInterval  zero: no progress lines
     * @param maxQueueWait      with several workspaces: how long reading MISP waits for one whose uploads do not move
     * @param settle            on stopping: how long the batch Sentinel is taking gets to be answered and settled
     */
    public record Operations(int failedCycles, Duration maxCycleAge, Duration progressInterval, Duration maxQueueWait,
                             Duration settle) {
    }

    /**
     * Several instances sharing the workspaces through Camel's cluster service (configured with
     * {@code camel.beans.clusterService}); without one, these settings change nothing.
     *
     * @param viewPrefix       the cluster view of a workspace is this prefix and the workspace's name
     * @param balanceInterval  how often an instance compares what it owns with its fair share
     */
    public record Cluster(String viewPrefix, Duration balanceInterval) {
    }

    /** {@code trustStore} empty means the JVM's default trust (javax.net.ssl.trustStore). */
    public record Tls(Optional<Path> trustStore, Optional<Secret> trustStorePassword, String trustStoreType,
                      boolean insecure) {
    }

    /** @throws ConfigurationException naming every wrong setting, not only the first */
    public static Settings load(PropertyLookup lookup) {
        SettingsReader r = SettingsReader.collecting(lookup);
        Settings settings = null;
        try {
            settings = read(r);
        } catch (ConfigurationException e) {
            // a part that cannot go on without a setting: what was noted before it is still named
            r.problem(e);
        }
        r.throwProblems();
        return settings;
    }

    private static Settings read(SettingsReader r) {
        boolean dryRun = r.bool("dry-run.enabled", false);
        Misp misp = misp(r);
        // the schedule's, read by the routes: checked here so that a wrong one is named with the rest
        r.cron("misp.poll-cron", "0 0/15 * * * ?");
        State state = state(r);
        List<String> names = r.list("workspaces");
        List<Workspace> workspaces = new java.util.ArrayList<>();
        if (names.isEmpty()) {
            workspaces.add(workspace(DEFAULT_WORKSPACE, r, dryRun, misp, state.dir()));
        }
        for (String name : names) {
            requireWorkspaceName(name);
            if (workspaces.stream().anyMatch(w -> w.name().equals(name))) {
                throw new ConfigurationException("workspaces", "names " + name + " twice");
            }
            workspaces.add(workspace(name, r.forWorkspace(name), dryRun, misp, state.dir().resolve(name)));
        }
        requireDistinctTargets(workspaces);
        return new Settings(misp, List.copyOf(workspaces), state, tls(r), dryRun, operations(r), refresh(r, workspaces),
                cluster(r));
    }

    private static Workspace workspace(String name, SettingsReader r, boolean dryRun, Misp misp, Path stateDir) {
        Cloud cloud = Cloud.read(r);
        Sentinel sentinel = sentinel(r, dryRun, cloud);
        return new Workspace(name, azure(r, dryRun, cloud), sentinel,
                MappingSettings.read(r, misp.url(),
                        sentinel.stixObjectsApi() && sentinel.context() != ContextDelivery.OFF), WorkspaceFilter.read(r), stateDir);
    }

    /** Two workspaces sending to one Sentinel workspace under one source name would overwrite each other. */
    private static void requireDistinctTargets(List<Workspace> workspaces) {
        java.util.Set<String> targets = new java.util.HashSet<>();
        for (Workspace w : workspaces) {
            if (!targets.add(w.sentinel().apiHost() + "/" + w.sentinel().workspaceId() + "/" + w.sentinel().sourceSystem())
                    && !w.sentinel().workspaceId().equals(DRY_RUN_WORKSPACE_ID)) {
                throw new ConfigurationException("workspace." + w.name() + ".sentinel.workspace-id",
                        "is the workspace of another entry of workspaces with the same sentinel.source-system");
            }
        }
    }

    private static Misp misp(SettingsReader r) {
        return new Misp(
                r.url("misp.url", null, r.bool("misp.allow-http", false)),
                r.requiredSecret("misp.api-key"),
                r.integer("misp.page-size", 1000, 1, 50_000),
                r.integer("misp.lookback-days", 30, 0, 36_500),
                r.bool("misp.published-only", true),
                r.bool("misp.to-ids-only", true),
                r.bool("misp.enforce-warninglist", true),
                r.list("misp.tags-include"),
                r.list("misp.tags-exclude"),
                r.list("misp.types-include"),
                r.list("misp.types-exclude"),
                Duration.ofSeconds(r.integer("misp.timeout-seconds", 60, 1, 3600)),
                r.integer("misp.max-retries", 5, 0, 100),
                Duration.ofMillis(r.integer("misp.retry-delay-ms", 2000, 0, 3_600_000)),
                r.existingFile("misp.client-certificate-path"),
                r.optionalSecret("misp.client-certificate-password"),
                r.bool("misp.include-decay-score", false),
                r.bool("misp.exclude-decayed", false),
                r.bool("misp.object-lookup", true),
                r.integer("misp.cursor-overlap-seconds", 120, 0, 86_400));
    }

    private static Azure azure(SettingsReader r, boolean dryRun, Cloud cloud) {
        if (dryRun && r.optional("azure.client-id").isEmpty() && r.optional("azure.credential").isEmpty()) {
            // A dry run never asks for a token, so it can be tried before an app registration exists.
            return null;
        }
        Credential credential = Credential.read(r);
        boolean app = credential != Credential.MANAGED_IDENTITY;
        // read even when another credential is chosen, so that a secret left set is still masked in logs
        Optional<Secret> anySecret = r.optionalSecret("azure.client-secret");
        Optional<Secret> anyPassword = r.optionalSecret("azure.client-certificate-password");
        Optional<Secret> secret = credential == Credential.SECRET
                ? Optional.of(anySecret.orElseGet(() -> r.requiredSecret("azure.client-secret"))) : Optional.empty();
        Optional<Path> certificate = credential == Credential.CERTIFICATE
                ? Optional.of(requiredFile(r, "azure.client-certificate-path")) : Optional.empty();
        Optional<Path> federatedToken = credential == Credential.WORKLOAD_IDENTITY
                ? Optional.of(requiredFile(r, "azure.federated-token-file")) : Optional.empty();
        // a user-assigned identity's client id (its object id would be a GUID too, and is refused by the endpoint)
        Optional<String> managedIdentity = credential == Credential.MANAGED_IDENTITY
                && r.optional("azure.managed-identity-client-id").isPresent()
                ? Optional.of(r.guid("azure.managed-identity-client-id")) : Optional.empty();
        String tenant = app ? r.required("azure.tenant-id") : r.string("azure.tenant-id", "");
        if (!tenant.isEmpty() && !tenant.matches("[A-Za-z0-9.-]+")) {
            r.problem(r.keyOf("azure.tenant-id"), "must be a tenant GUID or a domain name", null);
        }
        return new Azure(
                credential,
                r.url("azure.authority-host", cloud.authorityHost, false),
                tenant,
                app ? r.required("azure.client-id") : managedIdentity.orElse(SYSTEM_ASSIGNED),
                secret,
                certificate,
                credential == Credential.CERTIFICATE ? anyPassword : Optional.empty(),
                federatedToken,
                managedIdentity,
                r.string("azure.scope", cloud.scope),
                Duration.ofSeconds(r.integer("azure.token-refresh-margin-seconds", 300, 0, 3000)),
                Duration.ofSeconds(r.integer("azure.timeout-seconds", 30, 1, 600)));
    }

    private static Path requiredFile(SettingsReader r, String key) {
        Optional<Path> file = r.existingFile(key);
        if (file.isPresent()) {
            return file.get();
        }
        // a file named but unreadable is already named as such
        return r.optional(key).map(Path::of).orElseGet(() -> r.problem(r.keyOf(key), "is required with "
                + "azure.credential=" + r.string("azure.credential", "") + " but not set", Path.of("")));
    }

    private static final String DRY_RUN_WORKSPACE_ID = "00000000-0000-0000-0000-000000000000";

    private static Sentinel sentinel(SettingsReader r, boolean dryRun, Cloud cloud) {
        String api = r.string("sentinel.api", "stix-objects");
        if (!api.equals("indicators") && !api.equals("stix-objects")) {
            api = r.problem(r.keyOf("sentinel.api"), "must be indicators or stix-objects", "stix-objects");
        }
        String sourceSystem = r.string("sentinel.source-system", "MISP");
        if (sourceSystem.equalsIgnoreCase("Microsoft Sentinel")) {
            r.problem(r.keyOf("sentinel.source-system"), "must not be 'Microsoft Sentinel' (reserved)", null);
        }
        String documentedHost = cloud.apiHost(api.equals("stix-objects"));
        if (documentedHost == null && r.optional("sentinel.api-host").isEmpty()) {
            throw new ConfigurationException(r.keyOf("sentinel.api-host"), "is required for sentinel.api=indicators with "
                    + "azure.cloud=" + cloud.setting + ": Microsoft documents that API only on the commercial cloud");
        }
        return new Sentinel(
                documentedHost == null ? r.url("sentinel.api-host", null, false)
                        : r.url("sentinel.api-host", documentedHost, false),
                dryRun && r.optional("sentinel.workspace-id").isEmpty()
                        ? DRY_RUN_WORKSPACE_ID : r.guid("sentinel.workspace-id"),
                sourceSystem,
                api.equals("stix-objects"),
                r.integer("sentinel.batch-size", 100, 1, 100),
                r.integer("sentinel.requests-per-minute", 100, 1, 1_000_000),
                Duration.ofSeconds(r.integer("sentinel.timeout-seconds", 60, 1, 3600)),
                r.integer("sentinel.max-retries", 5, 0, 100),
                Duration.ofMillis(r.integer("sentinel.retry-delay-ms", 1000, 0, 3_600_000)),
                Duration.ofMillis(r.integer("sentinel.max-retry-delay-ms", 60_000, 0, 3_600_000)),
                r.integer("sentinel.max-throttled-retries", 30, 0, 1000),
                Duration.ofSeconds(r.integer("sentinel.default-retry-after-seconds", 60, 1, 3600)),
                r.integer("sentinel.queued-batches", 2, 1, 100),
                r.bool("sentinel.revoke-withdrawn", true),
                context(r));
    }

    private static ContextDelivery context(SettingsReader r) {
        String value = r.string("sentinel.context", ContextDelivery.AFTER_INDICATORS.setting);
        ContextDelivery context = ContextDelivery.of(value);
        return context != null ? context : r.problem(r.keyOf("sentinel.context"),
                "must be with-indicators, after-indicators or off", ContextDelivery.AFTER_INDICATORS);
    }

    /**
     * Each workspace's state directory, from state.dir and workspaces alone: what only reads the
     * state (--report) needs no other setting, and no secret.
     */
    public static java.util.Map<String, Path> stateDirs(PropertyLookup lookup) {
        SettingsReader r = new SettingsReader(lookup);
        Path root = state(r).dir();
        java.util.Map<String, Path> dirs = new java.util.LinkedHashMap<>();
        List<String> names = r.list("workspaces");
        if (names.isEmpty()) {
            dirs.put(DEFAULT_WORKSPACE, root);
        }
        for (String name : names) {
            requireWorkspaceName(name);
            dirs.put(name, root.resolve(name));
        }
        return dirs;
    }

    private static void requireWorkspaceName(String name) {
        if (!WORKSPACE_NAME.matcher(name).matches()) {
            throw new ConfigurationException("workspaces", "names must be lower-case letters, digits and '-' "
                    + "(at most 40), starting with a letter or digit");
        }
    }

    /**
     * Where the state lives when state.dir is not set: the user's own state directory (XDG's
     * ~/.local/state), never the working directory, which changes with how the program is started.
     */
    public static Path defaultStateDir() {
        return Path.of(System.getProperty("user.home"), ".local", "state", "misp-sentinel");
    }

    private static State state(SettingsReader r) {
        return new State(r.optional("state.dir").map(Path::of).orElseGet(Settings::defaultStateDir),
                r.integer("state.dedup-capacity", 1_000_000, 1000, 100_000_000), sharedState(r));
    }

    static final String JDBC_PREFIX = "jdbc:postgresql:";

    /**
     * The shared state's settings alone, for what only reads the state (--report): empty with the
     * default H2 store.
     */
    public static Optional<SharedState> sharedState(PropertyLookup lookup) {
        SettingsReader r = SettingsReader.collecting(lookup);
        Optional<SharedState> shared = sharedState(r);
        r.throwProblems();
        return shared;
    }

    private static Optional<SharedState> sharedState(SettingsReader r) {
        String store = r.string("state.store", "h2");
        Optional<String> url = r.optional("state.jdbc-url");
        Optional<String> user = r.optional("state.jdbc-user");
        // read whatever the store, so that a password left set is still masked in logs
        Optional<Secret> password = r.optionalSecret("state.jdbc-password");
        int poolSize = r.integer("state.jdbc-pool-size", 4, 1, 100);
        String instanceId = r.optional("state.instance-id").orElseGet(Settings::defaultInstanceId);
        switch (store) {
            case "h2" -> {
                if (url.isPresent() || user.isPresent() || password.isPresent()) {
                    r.problem("state.store", "is h2 (the default), but state.jdbc-* is set: set state.store="
                            + "postgresql to keep the state in that database, or remove the state.jdbc-* settings", null);
                }
                return Optional.empty();
            }
            case "postgresql" -> {
                if (url.isEmpty()) {
                    r.problem("state.jdbc-url", "is required with state.store=postgresql (" + JDBC_PREFIX
                            + "//HOST:PORT/DATABASE)", null);
                    return Optional.empty();
                }
                if (!url.get().startsWith(JDBC_PREFIX)) {
                    r.problem("state.jdbc-url", "must start with " + JDBC_PREFIX + " (a PostgreSQL database)", null);
                    return Optional.empty();
                }
                if (url.get().contains("password=")) {
                    r.problem("state.jdbc-url", "must not hold the password: set state.jdbc-password (or "
                            + "STATE_JDBC_PASSWORD_FILE), which is masked everywhere", null);
                    return Optional.empty();
                }
                return Optional.of(new SharedState(url.get(), user, password, poolSize, instanceId));
            }
            default -> {
                r.problem("state.store", "must be h2 or postgresql, not '" + store + "'", null);
                return Optional.empty();
            }
        }
    }

    /** Host name and process id: unique among the instances that run at once, and telling to an operator. */
    public static String defaultInstanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /**
     * A refresh gives an indicator its TTL from now, so with a lead as long as a TTL it would be due
     * again at once and be sent every cycle; and one whose valid_until comes from last_seen, of a kind
     * without a TTL, cannot be given a later one at all.
     */
    private static Refresh refresh(SettingsReader r, List<Workspace> workspaces) {
        int leadDays = r.integer("refresh.lead-days", 0, 0, MappingOptions.MAX_TTL_DAYS);
        Refresh refresh = new Refresh(Duration.ofDays(leadDays), r.integer("refresh.max-per-cycle", 1000, 1, 1_000_000));
        if (leadDays == 0) {
            return refresh;
        }
        for (Workspace w : workspaces) {
            for (org.mispsentinel.stix.IndicatorKind kind : org.mispsentinel.stix.IndicatorKind.values()) {
                int ttl = w.mapping().ttlDays(kind);
                String kindName = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                if (ttl > 0 && ttl <= leadDays) {
                    throw new ConfigurationException("refresh.lead-days", "must be shorter than every TTL: workspace "
                            + w.name() + " gives " + kindName + " indicators " + ttl + " days (misp.indicator-ttl-days, "
                            + "stix.ttl-days." + kindName + ")");
                }
                if (ttl == 0 && w.mapping().useLastSeen()) {
                    throw new ConfigurationException("refresh.lead-days", "needs a TTL for every kind of indicator "
                            + "with stix.valid-until-from-last-seen=true: workspace " + w.name() + " has none for "
                            + kindName + " (stix.ttl-days." + kindName + ")");
                }
            }
        }
        return refresh;
    }

    private static Operations operations(SettingsReader r) {
        return new Operations(r.integer("health.failed-cycles", 3, 1, 1000),
                Duration.ofMinutes(r.integer("health.max-cycle-age-minutes", 120, 0, 525_600)),
                Duration.ofMillis(r.integer("progress.interval-ms", 30_000, 0, 86_400_000)),
                Duration.ofSeconds(r.integer("sentinel.max-queue-wait-seconds", 120, 1, 86_400)),
                Duration.ofSeconds(r.integer("shutdown.settle-seconds", 20, 1, 3_600)));
    }

    private static Cluster cluster(SettingsReader r) {
        return new Cluster(r.string("cluster.view-prefix", "misp-sentinel-"),
                Duration.ofSeconds(r.integer("cluster.balance-interval-seconds", 30, 1, 3_600)));
    }

    private static Tls tls(SettingsReader r) {
        return new Tls(r.existingFile("tls.trust-store"), r.optionalSecret("tls.trust-store-password"),
                r.string("tls.trust-store-type", "PKCS12"), r.bool("tls.insecure", false));
    }

}
