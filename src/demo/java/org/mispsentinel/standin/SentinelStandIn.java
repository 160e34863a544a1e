package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sentinel's two threat-intelligence upload endpoints, strict where the real service is strict
 * (token, workspace, the app's role on it, sourcesystem, batch size, body size, required STIX
 * fields), with an optional sliding-window rate limit and scripted faults. Every accepted object is kept by id, so tests can
 * assert exactly-once delivery and content.
 */
public final class SentinelStandIn extends StandInServer<SentinelFault, SentinelStandIn> {

    /**
     * The two upload APIs, each with the hosts Microsoft documents it on (sentinel-api.md, "Two
     * upload endpoints": the legacy API on sentinelus.azure-api.net, the STIX objects API on
     * api.ti.sentinel.azure.com and its US Government and China twins) and the name its error
     * entries give the message list (errorMessages in the legacy API's documentation,
     * validationErrorMessages in the STIX objects API's REST spec).
     */
    public enum Endpoint {
        INDICATORS("threatintelligenceindicators:upload", "2022-07-01", "indicators", true, "errorMessages",
                Set.of("sentinelus.azure-api.net")),
        STIX_OBJECTS("threat-intelligence-stix-objects:upload", "2024-02-01-preview", "stixobjects", false,
                "validationErrorMessages",
                Set.of("api.ti.sentinel.azure.com", "api.ti.sentinel.azure.us", "api.ti.sentinel.azure.cn"));

        public final String operation;
        public final String apiVersion;
        public final String arrayField;
        final boolean indicatorsOnly;
        public final String errorList;
        public final Set<String> documentedHosts;

        Endpoint(String operation, String apiVersion, String arrayField, boolean indicatorsOnly, String errorList,
                 Set<String> documentedHosts) {
            this.operation = operation;
            this.apiVersion = apiVersion;
            this.arrayField = arrayField;
            this.indicatorsOnly = indicatorsOnly;
            this.errorList = errorList;
            this.documentedHosts = documentedHosts;
        }

        public String path(String workspaceId) {
            return "/workspaces/" + workspaceId + "/" + operation + "?api-version=" + apiVersion;
        }

        /** The commercial cloud's host of this API. */
        public String commercialHost() {
            return this == INDICATORS ? "sentinelus.azure-api.net" : "api.ti.sentinel.azure.com";
        }
    }

    /**
     * One upload request as the stand-in judged it.
     *
     * @param indicators how many of its objects were indicators; the others are context
     */
    public record Upload(Instant at, Endpoint endpoint, String workspaceId, String sourceSystem, int objects,
                         int rejected, int status, int indicators) {

        /** Whether the request carried any object other than an indicator. */
        public boolean carriesContext() {
            return objects > indicators;
        }
    }

    public static final int MAX_OBJECTS_PER_REQUEST = 100;
    /** Microsoft does not document the cap; 1 MiB is a guess, so it is a setting. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    private static final Pattern TRY_AGAIN = Pattern.compile("Try again in (\\d+) seconds");
    private static final String RESERVED_SOURCE = "Microsoft Sentinel";

    private final Set<String> workspaces;
    /** Workspaces on which every app may upload, as if each had the role. */
    private final Set<String> openWorkspaces;
    /** For the other workspaces, the client ids of the apps that hold Microsoft Sentinel Contributor there. */
    private final Map<String, Set<String>> contributors = new ConcurrentHashMap<>();
    private final TokenRegistry tokens;
    private final Clock clock;
    private final SlidingWindowLimiter limiter;
    private final RetryAfterMode retryAfterMode;
    private final long maxBodyBytes;
    private final boolean keepContent;
    private final boolean answerBeforeReadingBody;

    private final List<Predicate<JsonNode>> recordRules = new CopyOnWriteArrayList<>();
    private final List<Predicate<JsonNode>> batchRules = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Stored> accepted = new ConcurrentHashMap<>();
    private final List<Upload> uploads = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger earlyRetries = new AtomicInteger();
    private final AtomicLong acceptedUploads = new AtomicLong();
    /** Objects other than indicators accepted, by STIX type, counting repeats. */
    private final Map<String, Long> contextByType = new TreeMap<>();
    private final AtomicReference<Instant> retryNotBefore = new AtomicReference<>();

    private static final class Stored {
        int uploads;
        byte[] json;
    }

    private SentinelStandIn(Builder builder) {
        super("sentinel", DEFAULT_THREADS);
        if (builder.workspaces.isEmpty()) {
            throw new IllegalArgumentException("at least one workspace id is needed");
        }
        this.workspaces = Set.copyOf(builder.workspaces);
        this.openWorkspaces = Set.copyOf(builder.openWorkspaces);
        builder.contributors.forEach((workspace, apps) -> {
            Set<String> holders = ConcurrentHashMap.newKeySet();
            holders.addAll(apps);
            contributors.put(workspace, holders);
        });
        this.tokens = Objects.requireNonNull(builder.tokens, "tokens");
        this.clock = builder.clock != null ? builder.clock : tokens.clock();
        this.limiter = builder.rateLimit > 0 ? new SlidingWindowLimiter(builder.rateLimit, builder.rateWindow) : null;
        this.retryAfterMode = builder.retryAfterMode;
        this.maxBodyBytes = builder.maxBodyBytes;
        this.keepContent = builder.keepContent;
        this.answerBeforeReadingBody = builder.answerBeforeReadingBody;
        start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What an app without the Microsoft Sentinel Contributor role on the workspace gets: sentinel-api.md
     * ("Authentication": a missing role shows up only as 401/403 from the upload call, "does not have
     * required permission"; "Limits and responses": non-200 bodies are {@code {"error": {"code",
     * "message"}}} with an {@code x-ms-error-code} header), worded as Azure's AuthorizationFailed.
     */
    static String forbiddenBody(String clientId, String workspaceId) {
        String objectId = UUID.nameUUIDFromBytes(("service-principal-" + clientId).getBytes(StandardCharsets.UTF_8)).toString();
        return Json.armError("AuthorizationFailed", "The client '" + clientId + "' with object id '" + objectId
                + "' does not have required permission to perform action "
                + "'Microsoft.SecurityInsights/threatIntelligence/write' over scope '/workspaces/" + workspaceId
                + "' or the scope is invalid. If access was recently granted, please refresh your credentials.")
                .toString();
    }

    static final Map<String, String> FORBIDDEN_HEADERS = Map.of("x-ms-error-code", "AuthorizationFailed");

    /** The app loses the role on the workspace (a role assignment removed); the workspace must not be open. */
    public SentinelStandIn revokeRole(String workspaceId, String clientId) {
        roleHolders(workspaceId).remove(clientId);
        return this;
    }

    /** The app gets the role on the workspace; the workspace must not be open. */
    public SentinelStandIn grantRole(String workspaceId, String clientId) {
        roleHolders(workspaceId).add(clientId);
        return this;
    }

    private Set<String> roleHolders(String workspaceId) {
        Set<String> holders = contributors.get(workspaceId);
        if (holders == null) {
            throw new IllegalStateException("workspace " + workspaceId + " is unknown or open to every app");
        }
        return holders;
    }

    private boolean mayUpload(String workspaceId, String clientId) {
        return openWorkspaces.contains(workspaceId) || contributors.get(workspaceId).contains(clientId);
    }

    static String throttleBody(long seconds) {
        return "{\"statusCode\":429,\"message\":\"Rate limit is exceeded. Try again in " + seconds + " seconds.\"}";
    }

    /**
     * The value of the product's API host setting that reaches this stand-in playing {@code host}:
     * tests run on one loopback address, so the real host name travels as the first path segment,
     * and a path that Microsoft does not document on that host is refused as that host would.
     */
    public String apiHost(String host) {
        return baseUrl() + "/" + host;
    }

    /** The stand-in as the host of the STIX objects API, the product's default. */
    public String apiHost() {
        return apiHost(Endpoint.STIX_OBJECTS.commercialHost());
    }

    public String uploadUrl(Endpoint endpoint, String workspaceId) {
        return apiHost(endpoint.commercialHost()) + endpoint.path(workspaceId);
    }

    /** Records matching the rule get a per-record error inside an otherwise normal answer. */
    public SentinelStandIn rejectRecordsMatching(Predicate<JsonNode> rule) {
        recordRules.add(rule);
        return this;
    }

    /** A request holding any record that matches the rule is refused whole with a 400. */
    public SentinelStandIn rejectBatchesContaining(Predicate<JsonNode> rule) {
        batchRules.add(rule);
        return this;
    }

    public void clearRules() {
        recordRules.clear();
        batchRules.clear();
    }

    /** Every accepted object by id, as last uploaded (empty when content keeping is off). */
    public Map<String, JsonNode> accepted() {
        Map<String, JsonNode> result = new TreeMap<>();
        accepted.forEach((id, stored) -> {
            synchronized (stored) {
                if (stored.json != null) {
                    result.put(id, Json.parse(stored.json));
                }
            }
        });
        return result;
    }

    public Optional<JsonNode> acceptedObject(String id) {
        Stored stored = accepted.get(id);
        if (stored == null) {
            return Optional.empty();
        }
        synchronized (stored) {
            return Optional.ofNullable(stored.json).map(Json::parse);
        }
    }

    public Set<String> acceptedIds() {
        return new LinkedHashSet<>(accepted.keySet());
    }

    /** Distinct ids accepted. */
    public int acceptedCount() {
        return accepted.size();
    }

    /** How often an object with this id was accepted (1 for exactly-once). */
    public int uploadCount(String id) {
        Stored stored = accepted.get(id);
        if (stored == null) {
            return 0;
        }
        synchronized (stored) {
            return stored.uploads;
        }
    }

    /** Accepted objects counting repeats. */
    public long acceptedUploads() {
        return acceptedUploads.get();
    }

    /** Accepted objects beyond the first of each id: the cost of re-sends. */
    public long duplicateUploads() {
        return acceptedUploads.get() - accepted.size();
    }

    /** All requests to the upload endpoints, whatever the answer. */
    public int requests() {
        return requests.get();
    }

    /** Every upload whose body was read, with the status it got. */
    public List<Upload> uploads() {
        synchronized (uploads) {
            return List.copyOf(uploads);
        }
    }

    /** Object counts of the requests answered 200, in arrival order. */
    public List<Integer> batchSizes() {
        synchronized (uploads) {
            return uploads.stream().filter(u -> u.status() == 200).map(Upload::objects).toList();
        }
    }

    /** 429 answers, from the rate limit or scripted. */
    public int throttledCount() {
        return throttled.get();
    }

    /** Requests that arrived before the wait announced by the last 429 had passed. */
    public int earlyRetries() {
        return earlyRetries.get();
    }

    public Optional<Instant> retryNotBefore() {
        return Optional.ofNullable(retryNotBefore.get());
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        Instant arrival = clock.instant();
        String[] segments = exchange.getRequestURI().getPath().split("/");
        Endpoint endpoint = segments.length == 5 && segments[0].isEmpty() && segments[2].equals("workspaces")
                ? endpointFor(segments[4]) : null;
        if (endpoint == null || !endpoint.documentedHosts.contains(segments[1])) {
            // what another host, or an unknown path on this one, answers: nothing is uploaded (the body
            // is read first all the same, as below: a client answered while still sending can hang)
            if (answerBeforeReadingBody || readBodyOrRefuse(exchange) != null) {
                Exchanges.sendJson(exchange, 404, Json.armError("NotFound", "No such resource."));
            }
            return;
        }
        requests.incrementAndGet();
        Instant notBefore = retryNotBefore.get();
        if (notBefore != null && arrival.isBefore(notBefore)) {
            earlyRetries.incrementAndGet();
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            Exchanges.sendJson(exchange, 405, Json.armError("MethodNotAllowed", "Use POST."));
            return;
        }
        // Read before any answer, as a real gateway does: a client that gets its answer while still
        // sending can be left waiting (the JDK's own HttpClient sometimes is).
        byte[] raw = null;
        if (!answerBeforeReadingBody) {
            raw = readBodyOrRefuse(exchange);
            if (raw == null) {
                return;
            }
        }
        SentinelFault fault = nextFault();
        if (fault != null && !applyFault(exchange, fault, arrival)) {
            return;
        }
        String clientId = authorisedClient(exchange);
        if (clientId == null) {
            return;
        }
        if (limiter != null) {
            long wait = limiter.tryAcquire(arrival);
            if (wait > 0) {
                throttle(exchange, arrival, wait);
                return;
            }
        }
        String workspaceId = segments[3];
        if (!workspaces.contains(workspaceId)) {
            Exchanges.sendJson(exchange, 404, Json.armError("WorkspaceNotFound",
                    "Workspace '" + workspaceId + "' was not found."));
            return;
        }
        // the role is looked at before the request itself, as Azure authorises before it validates
        if (!mayUpload(workspaceId, clientId)) {
            Exchanges.send(exchange, 403, Exchanges.JSON,
                    forbiddenBody(clientId, workspaceId).getBytes(StandardCharsets.UTF_8), FORBIDDEN_HEADERS);
            return;
        }
        String apiVersion = Exchanges.parseQuery(exchange).get("api-version");
        if (!endpoint.apiVersion.equals(apiVersion)) {
            badRequest(exchange, "InvalidApiVersionParameter", "The api-version '" + apiVersion
                    + "' is invalid. The supported version for this operation is '" + endpoint.apiVersion + "'.");
            return;
        }
        if (raw == null) {
            raw = readBodyOrRefuse(exchange);
            if (raw == null) {
                return;
            }
        }
        upload(exchange, endpoint, workspaceId, raw, arrival);
    }

    /** The request body, or null after answering 413 for one above the limit. */
    private byte[] readBodyOrRefuse(HttpExchange exchange) throws IOException {
        byte[] raw = Exchanges.readBody(exchange, maxBodyBytes);
        if (raw == null) {
            Exchanges.sendJson(exchange, 413, Json.armError("RequestEntityTooLarge",
                    "The request body is larger than " + maxBodyBytes + " bytes."));
        }
        return raw;
    }

    private void upload(HttpExchange exchange, Endpoint endpoint, String workspaceId, byte[] raw, Instant arrival)
            throws IOException {
        JsonNode body = Json.parseOrNull(raw);
        if (body == null || !body.isObject()) {
            record(arrival, endpoint, workspaceId, null, 0, 0, 400, 0);
            badRequest(exchange, "InvalidRequestBody", "The request body is not a JSON object.");
            return;
        }
        JsonNode source = body.get("sourcesystem");
        String sourceSystem = source == null || !source.isTextual() ? null : source.asText();
        JsonNode objects = body.get(endpoint.arrayField);
        int count = objects != null && objects.isArray() ? objects.size() : 0;
        int indicators = 0;
        for (int i = 0; i < count; i++) {
            indicators += "indicator".equals(objects.get(i).path("type").asText()) ? 1 : 0;
        }
        String problem = null;
        if (sourceSystem == null || sourceSystem.isBlank()) {
            problem = "The property 'sourcesystem' is required.";
        } else if (sourceSystem.trim().equalsIgnoreCase(RESERVED_SOURCE)) {
            problem = "The sourcesystem value '" + RESERVED_SOURCE + "' is reserved.";
        } else if (objects == null || !objects.isArray()) {
            problem = "The property '" + endpoint.arrayField + "' must be an array.";
        } else if (count == 0) {
            // Both REST specs (2022-12-01-preview and 2024-02-01-preview ThreatIntelligence.json in
            // azure-rest-api-specs) answer 200 only "when at least one ... is successfully validated and
            // published", which an empty array never is; what status it gets instead is not said, and a
            // 400 breaks a client that takes an empty upload for a harmless success.
            problem = "The property '" + endpoint.arrayField + "' must not be empty.";
        } else if (count > MAX_OBJECTS_PER_REQUEST) {
            problem = "At most " + MAX_OBJECTS_PER_REQUEST + " objects may be uploaded per request; got " + count + ".";
        } else if (anyMatches(objects, batchRules)) {
            problem = "The request was rejected as a whole (stand-in batch rule).";
        }
        if (problem != null) {
            record(arrival, endpoint, workspaceId, sourceSystem, count, count, 400, indicators);
            badRequest(exchange, "InvalidRequest", problem);
            return;
        }
        ArrayNode errors = Json.MAPPER.createArrayNode();
        for (int i = 0; i < count; i++) {
            JsonNode object = objects.get(i);
            List<String> messages = new ArrayList<>(StixRecordCheck.problems(object, endpoint.indicatorsOnly));
            if (messages.isEmpty() && !endpoint.indicatorsOnly) {
                messages.addAll(unheldReferences(object));
            }
            if (messages.isEmpty() && anyMatches(object, recordRules)) {
                messages.add("The record was rejected (stand-in record rule).");
            }
            if (messages.isEmpty()) {
                store(object);
                String type = object.path("type").asText();
                if (!type.equals("indicator")) {
                    synchronized (contextByType) {
                        contextByType.merge(type, 1L, Long::sum);
                    }
                }
            } else {
                ObjectNode error = errors.addObject();
                error.put("recordIndex", i);
                ArrayNode list = error.putArray(endpoint.errorList);
                messages.forEach(list::add);
            }
        }
        // Sentinel answers 200 when at least one record was accepted; when none was, the request failed.
        int status = errors.size() == count ? 400 : 200;
        record(arrival, endpoint, workspaceId, sourceSystem, count, errors.size(), status, indicators);
        if (errors.isEmpty()) {
            Exchanges.send(exchange, 200, null, new byte[0], Map.of());
        } else {
            ObjectNode answer = Json.object();
            answer.set("errors", errors);
            Exchanges.sendJson(exchange, status, answer);
        }
    }

    /** @return true when the request should go on to be answered normally */
    private boolean applyFault(HttpExchange exchange, SentinelFault fault, Instant arrival) throws IOException {
        switch (fault.kind) {
            case STATUS -> {
                if (fault.status == 429) {
                    throttled.incrementAndGet();
                    announcedSeconds(fault).ifPresent(seconds -> retryNotBefore.set(arrival.plusSeconds(seconds)));
                }
                Exchanges.send(exchange, fault.status, Exchanges.JSON, fault.body.getBytes(StandardCharsets.UTF_8),
                        fault.headers);
                return false;
            }
            case DELAY -> {
                return pauseOrAbort(exchange, fault.delay);
            }
            default -> {
                Exchanges.abort(exchange);
                return false;
            }
        }
    }

    private static Optional<Long> announcedSeconds(SentinelFault fault) {
        for (Map.Entry<String, String> header : fault.headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("Retry-After")) {
                try {
                    return Optional.of(Long.parseLong(header.getValue().trim()));
                } catch (NumberFormatException ignored) {
                    // Fall back to the message.
                }
            }
        }
        Matcher matcher = TRY_AGAIN.matcher(fault.body);
        return matcher.find() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
    }

    /** @return the client id the request's token was issued to, or null after answering 401 */
    private String authorisedClient(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        TokenRegistry.Status status = tokens.check(token);
        if (status == TokenRegistry.Status.VALID) {
            return tokens.find(token).orElseThrow().clientId();
        }
        ObjectNode body;
        if (header == null) {
            body = Json.armError("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        } else if (status == TokenRegistry.Status.EXPIRED) {
            body = Json.armError("ExpiredAuthenticationToken", "The access token expiry UTC time '"
                    + tokens.find(token).map(t -> t.expiresAt().toString()).orElse("?")
                    + "' is earlier than current UTC time '" + clock.instant() + "'.");
        } else {
            body = Json.armError("InvalidAuthenticationToken", "The access token is invalid.");
        }
        Exchanges.sendJson(exchange, 401, body, Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
        return null;
    }

    private void throttle(HttpExchange exchange, Instant arrival, long seconds) throws IOException {
        throttled.incrementAndGet();
        retryNotBefore.set(arrival.plusSeconds(seconds));
        Map<String, String> headers = retryAfterMode == RetryAfterMode.HEADER
                ? Map.of("Retry-After", Long.toString(seconds)) : Map.of();
        Exchanges.send(exchange, 429, Exchanges.JSON, throttleBody(seconds).getBytes(StandardCharsets.UTF_8), headers);
    }

    private void store(JsonNode object) {
        String id = object.get("id").asText();
        byte[] json = keepContent ? Json.bytes(object) : null;
        Stored stored = accepted.computeIfAbsent(id, key -> new Stored());
        synchronized (stored) {
            stored.uploads++;
            stored.json = json;
        }
        acceptedUploads.incrementAndGet();
    }

    private void record(Instant at, Endpoint endpoint, String workspaceId, String sourceSystem, int objects,
                        int rejected, int status, int indicators) {
        synchronized (uploads) {
            uploads.add(new Upload(at, endpoint, workspaceId, sourceSystem, objects, rejected, status, indicators));
        }
    }

    /**
     * A relationship's {@code source_ref} and {@code target_ref}, and any object's {@code created_by_ref},
     * that the stand-in does not hold (from an earlier request, or earlier in this one). Microsoft's
     * documentation of the Upload API (sentinel-api.md, "Two upload endpoints"; learn.microsoft.com
     * stix-objects-api) lists the object types it takes and says nothing of references to objects it
     * does not hold yet; refusing them is what breaks a client that sends a reference ahead of what it
     * points to.
     */
    private List<String> unheldReferences(JsonNode object) {
        List<String> problems = new ArrayList<>(0);
        for (String field : new String[] {"source_ref", "target_ref", "created_by_ref"}) {
            JsonNode ref = object.get(field);
            if (ref != null && ref.isTextual() && !accepted.containsKey(ref.asText())) {
                problems.add("The property '" + field + "' refers to '" + ref.asText() + "', which is not in the workspace.");
            }
        }
        return problems;
    }

    /** Objects other than indicators accepted, by STIX type, counting repeats. */
    public Map<String, Long> contextByType() {
        synchronized (contextByType) {
            return new TreeMap<>(contextByType);
        }
    }

    /** Requests answered 200 that carried objects other than indicators. */
    public long requestsWithContext() {
        synchronized (uploads) {
            return uploads.stream().filter(u -> u.status() == 200 && u.carriesContext()).count();
        }
    }

    private static boolean anyMatches(JsonNode objects, List<Predicate<JsonNode>> rules) {
        if (rules.isEmpty()) {
            return false;
        }
        if (objects.isArray()) {
            for (JsonNode object : objects) {
                if (anyMatches(object, rules)) {
                    return true;
                }
            }
            return false;
        }
        return rules.stream().anyMatch(rule -> rule.test(objects));
    }

    private static void badRequest(HttpExchange exchange, String code, String message) throws IOException {
        Exchanges.sendJson(exchange, 400, Json.armError(code, message));
    }

    private static Endpoint endpointFor(String operation) {
        for (Endpoint endpoint : Endpoint.values()) {
            if (endpoint.operation.equals(operation)) {
                return endpoint;
            }
        }
        return null;
    }

    /** Summary of the batch sizes, for the benchmark's stats line. */
    public Map<String, Object> batchSizeSummary() {
        List<Integer> sizes = batchSizes();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("count", sizes.size());
        summary.put("min", sizes.stream().mapToInt(Integer::intValue).min().orElse(0));
        summary.put("max", sizes.stream().mapToInt(Integer::intValue).max().orElse(0));
        summary.put("mean", sizes.stream().mapToInt(Integer::intValue).average().orElse(0));
        summary.put("full", sizes.stream().filter(size -> size == MAX_OBJECTS_PER_REQUEST).count());
        return summary;
    }

    public static final class Builder {
        private final Set<String> workspaces = new LinkedHashSet<>();
        private final Set<String> openWorkspaces = new LinkedHashSet<>();
        private final Map<String, Set<String>> contributors = new LinkedHashMap<>();
        private TokenRegistry tokens;
        private Clock clock;
        private int rateLimit;
        private Duration rateWindow = Duration.ofSeconds(60);
        private RetryAfterMode retryAfterMode = RetryAfterMode.HEADER;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private boolean keepContent = true;
        private boolean answerBeforeReadingBody;

        private Builder() {
        }

        /**
         * Answer everything before reading the request body, as the JDK server makes easy: a 429 to a
         * batch larger than the server drains (64 KiB) then reaches the client as a connection reset.
         * The benchmarks measure the product against that; tests want a well-behaved server.
         */
        public Builder answerBeforeReadingBody(boolean value) {
            this.answerBeforeReadingBody = value;
            return this;
        }

        /** A workspace on which every app may upload, as if each held the role there. */
        public Builder workspace(String workspaceId) {
            workspaces.add(workspaceId);
            openWorkspaces.add(workspaceId);
            return this;
        }

        /** A workspace on which only these apps (client ids) hold the Microsoft Sentinel Contributor role. */
        public Builder workspace(String workspaceId, String... contributorClientIds) {
            workspaces.add(workspaceId);
            contributors.computeIfAbsent(workspaceId, id -> new LinkedHashSet<>()).addAll(List.of(contributorClientIds));
            return this;
        }

        public Builder tokens(TokenRegistry tokens) {
            this.tokens = tokens;
            return this;
        }

        /** Time for rate-limit windows and early-retry judgement; defaults to the token registry's. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** At most {@code requests} per sliding {@code window}; 0 turns the limit off (the default). */
        public Builder rateLimit(int requests, Duration window) {
            this.rateLimit = requests;
            this.rateWindow = window;
            return this;
        }

        public Builder retryAfter(RetryAfterMode mode) {
            this.retryAfterMode = mode;
            return this;
        }

        public Builder maxBodyBytes(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** Off for million-indicator benchmarks: ids and counts are still kept, the JSON is not. */
        public Builder keepContent(boolean keepContent) {
            this.keepContent = keepContent;
            return this;
        }

        public SentinelStandIn start() {
            return new SentinelStandIn(this);
        }
    }
}
