package org.mispsentinel.standin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * MISP's {@code POST /attributes/restSearch}, with paging and the filters the product relies on, in
 * its {@code json} and {@code count} return formats, {@code GET /objects/view/{id}},
 * {@code POST /objects/restSearch} and {@code GET /servers/getVersion}, each with scripted faults.
 * Each behaviour follows misp-api.md (facts observed on MISP 2.5.1) or MISP's own source, as named
 * where it is implemented and in MispStandInTest. Pages are written attribute by attribute, so a benchmark can page through a
 * million synthetic attributes without the stand-in holding them.
 */
public final class MispStandIn extends StandInServer<MispFault, MispStandIn> {

    public static final String PATH = "/attributes/restSearch";
    static final String OBJECT_PATH = "/objects/view/";
    static final String OBJECT_SEARCH_PATH = "/objects/restSearch";
    static final String VERSION_PATH = "/servers/getVersion";
    /** The MISP release whose behaviour misp-api.md observed and the stand-in plays. */
    public static final String VERSION = "2.5.1";
    static final String AUTH_FAILED = "Authentication failed. Please make sure you pass the API key of an API enabled "
            + "user along in the Authorization header.";
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;
    /** Pages up to this size go out with a Content-Length, larger ones chunked (see PageOutputStream). */
    private static final int PAGE_BUFFER_BYTES = 16 * 1024 * 1024;

    private final String apiKey;
    private final MispDataset dataset;
    private final Clock clock;
    private final List<JsonNode> requests = new ArrayList<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger rejectedKeys = new AtomicInteger();
    private final AtomicInteger objectRequests = new AtomicInteger();
    private final AtomicInteger objectSearches = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    private final FaultQueue<MispFault> objectFaults = new FaultQueue<>();
    /** Wall-clock arrival (epoch millis) of every restSearch request, for the benchmark's start-up time. */
    private final List<Long> arrivals = new ArrayList<>();

    public MispStandIn(String apiKey, MispDataset dataset) {
        this(apiKey, dataset, Clock.systemUTC());
    }

    /** @param clock only for relative time filters such as {@code "7d"} */
    public MispStandIn(String apiKey, MispDataset dataset, Clock clock) {
        this(apiKey, dataset, clock, false);
    }

    /** @param requireClientCertificate a MISP behind mutual TLS (see {@link StandInTls#writeKeyStore}) */
    public MispStandIn(String apiKey, MispDataset dataset, Clock clock, boolean requireClientCertificate) {
        super("misp", DEFAULT_THREADS);
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (requireClientCertificate) {
            requireClientCertificate();
        }
        start();
    }

    public String apiKey() {
        return apiKey;
    }

    public MispDataset dataset() {
        return dataset;
    }

    /** Parsed bodies of every restSearch request so far (authorised or not), oldest first. */
    public List<JsonNode> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public JsonNode lastRequest() {
        synchronized (requests) {
            return requests.isEmpty() ? null : requests.get(requests.size() - 1);
        }
    }

    public int requestCount() {
        return requestCount.get();
    }

    /** Wall-clock arrival times (epoch millis, {@link System#currentTimeMillis()}) of every restSearch request, oldest first. */
    public List<Long> requestArrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    /** Requests answered 403 for a missing or wrong key. */
    public int rejectedKeys() {
        return rejectedKeys.get();
    }

    /** Requests to {@code /objects/view}, answered or not. */
    public int objectRequestCount() {
        return objectRequests.get();
    }

    /** Requests to {@code /objects/restSearch}, answered or not. */
    public int objectSearchCount() {
        return objectSearches.get();
    }

    /** Applies {@code fault} to the next {@code times} object requests (restSearch faults are {@link #enqueue}d). */
    public MispStandIn enqueueObjectFault(MispFault fault, int times) {
        objectFaults.add(fault, times);
        return this;
    }

    /** Every answer waits this long first, as a PHP MISP takes ~0.1 s a request (misp-api.md); for benchmarks. */
    public MispStandIn latency(Duration value) {
        latency = Objects.requireNonNull(value, "value");
        return this;
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        if (!latency.isZero() && !pauseOrAbort(exchange, latency)) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (path.startsWith(OBJECT_PATH)) {
            handleObject(exchange, path);
            return;
        }
        if (path.equals(OBJECT_SEARCH_PATH)) {
            handleObjectSearch(exchange);
            return;
        }
        if (path.equals(VERSION_PATH) || path.equals(VERSION_PATH + ".json")) {
            handleVersion(exchange);
            return;
        }
        if (!PATH.equals(path) && !(PATH + ".json").equals(path)) {
            Exchanges.sendJson(exchange, 404, error("Not Found", "Not Found", path));
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            // misp-api.md (observed): a GET without parameters gets 400
            Exchanges.sendJson(exchange, 400, error("Bad Request",
                    "Either specify the search terms in the url, or POST a json with the filter parameters.", PATH));
            return;
        }
        requestCount.incrementAndGet();
        synchronized (arrivals) {
            arrivals.add(System.currentTimeMillis());
        }
        byte[] raw = Exchanges.readBody(exchange, MAX_REQUEST_BYTES);
        JsonNode body = raw == null ? null : Json.parseOrNull(raw);
        synchronized (requests) {
            requests.add(body == null ? Json.object() : body);
        }
        MispFault fault = nextFault();
        if (answeredByFaultOrKey(exchange, fault, PATH)) {
            return;
        }
        JsonNode filters = searchBody(exchange, raw, body, PATH);
        if (filters == null) {
            return;
        }
        String format = filters.path("returnFormat").asText("json");
        if (!format.equals("json") && !format.equals("count")) {
            // Other formats exist in MISP (csv, stix2, ...) but the product must never ask for them.
            Exchanges.sendJson(exchange, 400, error("Bad Request", "The stand-in serves returnFormat json and count only.",
                    PATH));
            return;
        }
        SearchFilters query = filtersOf(filters);
        int limit = limitOf(filters);
        if (format.equals("count")) {
            count(exchange, query, limit == Integer.MAX_VALUE ? 0 : (pageOf(filters) - 1) * limit, limit);
            return;
        }
        boolean empty = fault != null && fault.kind == MispFault.Kind.EMPTY_PAGE;
        boolean truncate = fault != null && fault.kind == MispFault.Kind.MALFORMED_JSON;
        if (limit == Integer.MAX_VALUE) {
            // misp-api.md: without limit, everything in one response and X-Result-Count the total
            try (Stream<ObjectNode> attributes = empty ? Stream.empty() : dataset.page(query, 0, limit)) {
                writePage(exchange, dataset.size(query), 0, attributes.iterator(), truncate);
            }
            return;
        }
        long offset = (pageOf(filters) - 1) * limit;
        List<ObjectNode> kept = new ArrayList<>();
        int fetched = empty ? 0 : fetch(query, offset, limit, kept::add);
        int skipped = fetched - kept.size();
        // X-Result-Count is per page (misp-api.md, observed; MispAttribute::__iteratedFetch): the SQL
        // rows of this page, plus one when the page came back full after filtering; 1 for no row at all
        long resultCount = empty ? limit + 1L : fetched == 0 ? 1 : fetched + (kept.size() == limit ? 1 : 0);
        writePage(exchange, resultCount, skipped, kept.iterator(), truncate);
    }

    /**
     * The SQL rows of a page, each that survives MISP's PHP-side filters handed to {@code kept}.
     * MispAttribute::fetchAttributes drops warninglisted and decayed rows after SQL's LIMIT/OFFSET,
     * and counts them in X-Skipped-Elements-Count. @return the rows fetched
     */
    private int fetch(SearchFilters query, long offset, int limit, java.util.function.Consumer<ObjectNode> kept) {
        int fetched = 0;
        try (Stream<ObjectNode> rows = dataset.page(query, offset, limit)) {
            for (Iterator<ObjectNode> it = rows.iterator(); it.hasNext(); ) {
                ObjectNode row = it.next();
                fetched++;
                if (!(query.enforceWarninglist() && dataset.onWarninglist(row))
                        && !(query.excludeDecayed() && decayed(row))) {
                    kept.accept(row);
                }
            }
        }
        return fetched;
    }

    /**
     * {@code returnFormat: count}: MispAttribute::$validFormats maps it to CountExport, which adds
     * one for each attribute that reaches the export, that is after the warninglist and decay
     * filters, and writes only that number; it is a "non restrictive" export, so MISP adds no
     * to_ids or published filter of its own. AppController::restSearch answers it as {@code txt}
     * (text/plain) with X-Result-Count the SQL rows and X-Skipped-Elements-Count those dropped.
     * Without limit MISP fetches in chunks until none is left (__iteratedFetch), so the number is
     * the whole match.
     */
    private void count(HttpExchange exchange, SearchFilters query, long offset, int limit) throws IOException {
        AtomicInteger kept = new AtomicInteger();
        int fetched = fetch(query, offset, limit, row -> kept.incrementAndGet());
        Exchanges.send(exchange, 200, "text/plain; charset=UTF-8", Integer.toString(kept.get()).getBytes(StandardCharsets.UTF_8),
                Map.of("X-Result-Count", Integer.toString(fetched), "X-Skipped-Elements-Count",
                        Integer.toString(fetched - kept.get()), "X-Export-Module-Used", "count",
                        "X-Response-Format", "txt"));
    }

    /**
     * {@code GET /servers/getVersion} (ServersController::getVersion, open to any user with API
     * access, ACL perm_auth): the release as major.minor.hotfix and what the key's role may do.
     * The stand-in's user is a plain API user, without sync, sighting or galaxy rights.
     */
    private void handleVersion(HttpExchange exchange) throws IOException {
        if (answeredByFaultOrKey(exchange, nextFault(), VERSION_PATH)) {
            return;
        }
        ObjectNode body = Json.object();
        body.put("version", VERSION);
        body.put("pymisp_recommended_version", VERSION);
        List.of("perm_sync", "perm_sighting", "perm_galaxy_editor", "perm_analyst_data").forEach(p -> body.put(p, false));
        // the instance's uuid is shown to sync users only
        body.put("uuid", "-");
        body.putArray("request_encoding").add("gzip");
        body.put("filter_sightings", true);
        Exchanges.sendJson(exchange, 200, body);
    }

    /**
     * The search filters of a request, or null when it was answered. misp-api.md (observed): a body
     * sent without {@code Content-Type: application/json} is not parsed, and MISP searches with no
     * filter and no limit at all; malformed JSON gets 405 "Invalid JSON input".
     */
    private JsonNode searchBody(HttpExchange exchange, byte[] raw, JsonNode body, String path) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return Json.object();
        }
        if (raw == null || body == null || !body.isObject()) {
            Exchanges.sendJson(exchange, 405, error("Invalid JSON input", "Invalid JSON input", path));
            return null;
        }
        return body;
    }

    /** MispAttribute::restSearch: an {@code order} with any column it does not allow is dropped whole. */
    private SearchFilters filtersOf(JsonNode body) {
        try {
            return SearchFilters.fromRequest(body, clock);
        } catch (IllegalArgumentException badOrder) {
            ObjectNode withoutOrder = ((ObjectNode) body).deepCopy();
            withoutOrder.remove("order");
            return SearchFilters.fromRequest(withoutOrder, clock);
        }
    }

    private static int limitOf(JsonNode body) {
        // As in MISP, page without limit is ignored and limit without page means page 1.
        return body.hasNonNull("limit") && body.get("limit").asInt(0) > 0 ? body.get("limit").asInt() : Integer.MAX_VALUE;
    }

    private static long pageOf(JsonNode body) {
        return Math.max(1, body.path("page").asLong(1));
    }

    /** excludeDecayed drops an attribute when every one of its decay scores has decayed. */
    private static boolean decayed(ObjectNode attribute) {
        JsonNode scores = attribute.path("decay_score");
        if (!scores.isArray() || scores.isEmpty()) {
            return false;
        }
        for (JsonNode score : scores) {
            if (!score.path("decayed").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code POST /objects/restSearch} with {@code eventid}: the objects of those events with their
     * members ({@code {"response": [{"Object": {...}}, ...]}}, JsonExport for the Object scope), paged.
     */
    private void handleObjectSearch(HttpExchange exchange) throws IOException {
        objectSearches.incrementAndGet();
        byte[] raw = Exchanges.readBody(exchange, MAX_REQUEST_BYTES);
        JsonNode body = raw == null ? null : Json.parseOrNull(raw);
        if (answeredByFaultOrKey(exchange, objectFaults.poll(), OBJECT_SEARCH_PATH)) {
            return;
        }
        JsonNode filters = searchBody(exchange, raw, body, OBJECT_SEARCH_PATH);
        if (filters == null) {
            return;
        }
        SearchFilters query = filtersOf(filters);
        List<String> eventIds = query.eventIds() == null ? List.of() : List.copyOf(query.eventIds());
        int limit = limitOf(filters);
        long offset = limit == Integer.MAX_VALUE ? 0 : (pageOf(filters) - 1) * limit;
        List<ObjectNode> page;
        try (Stream<ObjectNode> objects = dataset.objectsOfEvents(eventIds)) {
            page = objects.skip(offset).limit(limit).toList();
        }
        ObjectNode response = Json.object();
        ArrayNode list = response.putArray("response");
        page.forEach(object -> list.addObject().set("Object", object));
        exchange.getResponseHeaders().set("X-Result-Count", Integer.toString(page.size()));
        Exchanges.sendJson(exchange, 200, response);
    }

    /** {@code GET /objects/view/{id}}: the object with its undeleted members, or MISP's 404. */
    private void handleObject(HttpExchange exchange, String path) throws IOException {
        objectRequests.incrementAndGet();
        if (answeredByFaultOrKey(exchange, objectFaults.poll(), path)) {
            return;
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            Exchanges.sendJson(exchange, 405, error("Method Not Allowed", "Use GET.", path));
            return;
        }
        Optional<ObjectNode> object = dataset.object(path.substring(OBJECT_PATH.length()));
        if (object.isEmpty()) {
            Exchanges.sendJson(exchange, 404, error("Invalid object.", "Invalid object.", path));
            return;
        }
        ObjectNode body = Json.object();
        body.set("Object", object.get());
        Exchanges.sendJson(exchange, 200, body);
    }

    /** A scripted fault, else MISP's 403 for a missing or wrong key. @return true when the exchange was answered */
    private boolean answeredByFaultOrKey(HttpExchange exchange, MispFault fault, String path) throws IOException {
        if (fault != null && !applyFault(exchange, fault)) {
            return true;
        }
        if (!apiKey.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            rejectedKeys.incrementAndGet();
            Exchanges.sendJson(exchange, 403, error(AUTH_FAILED, AUTH_FAILED, path));
            return true;
        }
        return false;
    }

    /** @return true when the request should go on to be answered normally */
    private boolean applyFault(HttpExchange exchange, MispFault fault) throws IOException {
        switch (fault.kind) {
            case STATUS -> {
                Exchanges.send(exchange, fault.status, fault.contentType, fault.body.getBytes(StandardCharsets.UTF_8),
                        Map.of());
                return false;
            }
            case DELAY -> {
                return pauseOrAbort(exchange, fault.delay);
            }
            case RESET -> {
                Exchanges.abort(exchange);
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    private void writePage(HttpExchange exchange, long resultCount, int skipped, Iterator<ObjectNode> attributes,
                           boolean truncate) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.getResponseHeaders().set("X-Result-Count", Long.toString(resultCount));
        exchange.getResponseHeaders().set("X-Skipped-Elements-Count", Integer.toString(skipped));
        if (truncate) {
            byte[] cut = "{\"response\":{\"Attribute\":[{\"id\":\"1\",\"event_id\":\"1\",\"type\":\"ip-d"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, cut.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(cut);
            }
            return;
        }
        // Closed only on success: after a failure nothing is sent and the connection is dropped,
        // rather than a well-formed but short page.
        PageOutputStream out = new PageOutputStream(exchange, PAGE_BUFFER_BYTES);
        JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.writeStartObject();
        json.writeObjectFieldStart("response");
        json.writeArrayFieldStart("Attribute");
        while (attributes.hasNext()) {
            Json.MAPPER.writeTree(json, attributes.next());
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndObject();
        json.close();
        out.close();
    }

    private static ObjectNode error(String name, String message, String url) {
        ObjectNode body = Json.object();
        body.put("name", name);
        body.put("message", message);
        body.put("url", url);
        return body;
    }
}
