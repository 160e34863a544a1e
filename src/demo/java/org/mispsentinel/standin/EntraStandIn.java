package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Entra ID's v2.0 token endpoint for the client-credentials grant, plus the two metadata documents
 * msal4j may ask for. Tokens go into a {@link TokenRegistry} that the Sentinel stand-in checks.
 */
public final class EntraStandIn extends StandInServer<EntraFault, EntraStandIn> {

    public static final Duration DEFAULT_EXPIRES_IN = Duration.ofSeconds(3599);
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final List<String> OIDC_SCOPES = List.of("openid", "profile", "offline_access");

    private final String tenantId;
    private final Map<String, String> secrets;
    private final Map<String, Optional<X509Certificate>> certificates;
    private final Map<String, List<FederatedCredential>> federated = new java.util.concurrent.ConcurrentHashMap<>();
    private final TokenRegistry tokens;
    private volatile Duration expiresIn;
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final List<Map<String, String>> tokenRequestForms = new ArrayList<>();

    private EntraStandIn(Builder builder) {
        super("entra", DEFAULT_THREADS);
        this.tenantId = Objects.requireNonNull(builder.tenantId, "tenantId");
        this.secrets = Map.copyOf(builder.secrets);
        this.certificates = Map.copyOf(builder.certificates);
        this.tokens = builder.tokens != null ? builder.tokens : new TokenRegistry();
        this.expiresIn = builder.expiresIn;
        start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String tenantId() {
        return tenantId;
    }

    /** The authority msal4j is given: {@code https://localhost:<port>/<tenant>/}. */
    public String authority() {
        return baseUrl() + "/" + tenantId + "/";
    }

    public String tokenEndpoint() {
        return baseUrl() + "/" + tenantId + "/oauth2/v2.0/token";
    }

    public TokenRegistry tokens() {
        return tokens;
    }

    /** Lifetime of tokens issued from now on. */
    public void expiresIn(Duration lifetime) {
        this.expiresIn = lifetime;
    }

    /**
     * Adds a federated identity credential to an app: Entra then accepts, as the app's client
     * assertion, a token of {@code issuer} about {@code subject} for audience
     * {@code api://AzureADTokenExchange}, signed by {@code issuerKey} (Entra fetches it from the
     * issuer's OIDC discovery document; the stand-in is given it).
     */
    public EntraStandIn federate(String clientId, String issuer, String subject, java.security.PublicKey issuerKey) {
        federated.computeIfAbsent(clientId, id -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(new FederatedCredential(issuer, subject, FederatedCredential.AUDIENCE, issuerKey));
        return this;
    }

    /** Every POST to the token endpoint, successful or not. */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** The forms of the token requests, with {@code client_secret} and {@code client_assertion} masked. */
    public List<Map<String, String>> tokenRequestForms() {
        synchronized (tokenRequestForms) {
            return List.copyOf(tokenRequestForms);
        }
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String[] segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if ("POST".equals(method) && segments.length == 4 && segments[1].equals("oauth2")
                && segments[2].equals("v2.0") && segments[3].equals("token")) {
            token(exchange, segments[0]);
        } else if ("GET".equals(method) && path.endsWith("/v2.0/.well-known/openid-configuration") && segments.length == 4) {
            Exchanges.sendJson(exchange, 200, openIdConfiguration(segments[0]));
        } else if ("GET".equals(method) && path.endsWith("/discovery/instance")) {
            Exchanges.sendJson(exchange, 200, instanceDiscovery());
        } else if ("GET".equals(method) && path.endsWith("/discovery/v2.0/keys")) {
            ObjectNode keys = Json.object();
            keys.putArray("keys");
            Exchanges.sendJson(exchange, 200, keys);
        } else {
            Exchanges.sendJson(exchange, 404, aadError("invalid_request", 900561,
                    "AADSTS900561: The endpoint only accepts POST requests or is unknown: " + path, null));
        }
    }

    private void token(HttpExchange exchange, String tenant) throws IOException {
        tokenRequests.incrementAndGet();
        byte[] raw = Exchanges.readBody(exchange, MAX_REQUEST_BYTES);
        Map<String, String> form = raw == null ? Map.of() : Exchanges.parseForm(new String(raw, StandardCharsets.UTF_8));
        recordForm(form);
        EntraFault fault = nextFault();
        if (fault != null) {
            switch (fault.kind) {
                case STATUS -> {
                    Exchanges.send(exchange, fault.status, Exchanges.JSON, fault.body.getBytes(StandardCharsets.UTF_8),
                            fault.headers);
                    return;
                }
                case RESET -> {
                    Exchanges.abort(exchange);
                    return;
                }
                case DELAY -> {
                    if (!pauseOrAbort(exchange, fault.delay)) {
                        return;
                    }
                }
            }
        }
        if (!tenantId.equals(tenant)) {
            fail(exchange, 400, "invalid_request", 90002, "AADSTS90002: Tenant '" + tenant + "' not found. Check to "
                    + "make sure you have the correct tenant ID and are signing into the correct cloud.");
            return;
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            fail(exchange, 400, "unsupported_grant_type", 70003,
                    "AADSTS70003: The app requested an unsupported grant type '" + form.get("grant_type") + "'.");
            return;
        }
        String clientId = form.get("client_id");
        if (clientId == null || clientId.isEmpty()) {
            fail(exchange, 400, "invalid_request", 900144,
                    "AADSTS900144: The request body must contain the following parameter: 'client_id'.");
            return;
        }
        if (!secrets.containsKey(clientId) && !certificates.containsKey(clientId) && !federated.containsKey(clientId)) {
            fail(exchange, 400, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenantId + "'. This can happen if the application has "
                    + "not been installed by the administrator of the tenant or consented to by any user in the tenant.");
            return;
        }
        String scope = resourceScope(form.get("scope"));
        if (scope == null) {
            fail(exchange, 400, "invalid_scope", 1002012, "AADSTS1002012: The provided value for scope '"
                    + form.get("scope") + "' is not valid. Client credential flows must have a scope value with "
                    + "/.default suffixed to the resource identifier (application ID URI).");
            return;
        }
        String credentialProblem = credentialProblem(clientId, form);
        if (credentialProblem != null) {
            fail(exchange, 401, "invalid_client", aadCode(credentialProblem), credentialProblem);
            return;
        }
        TokenRegistry.IssuedToken token = tokens.issue(clientId, scope, expiresIn);
        ObjectNode body = Json.object();
        body.put("token_type", "Bearer");
        body.put("expires_in", expiresIn.toSeconds());
        body.put("ext_expires_in", expiresIn.toSeconds());
        body.put("access_token", token.accessToken());
        Exchanges.sendJson(exchange, 200, body, Map.of("Cache-Control", "no-store, no-cache", "Pragma", "no-cache"));
    }

    /** @return null when the credentials are good, else Entra's error description */
    private String credentialProblem(String clientId, Map<String, String> form) {
        String secret = form.get("client_secret");
        String assertion = form.get("client_assertion");
        if (secret != null) {
            if (secret.equals(secrets.get(clientId))) {
                return null;
            }
            return "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the "
                    + "client secret value, not the client secret ID, for a secret added to app '" + clientId + "'.";
        }
        if (assertion != null) {
            if (!ClientAssertions.JWT_BEARER.equals(form.get("client_assertion_type"))) {
                return "AADSTS700025: client_assertion_type must be '" + ClientAssertions.JWT_BEARER + "'.";
            }
            // an app's own assertion names it as issuer; any other issuer is a federated one
            if (federated.containsKey(clientId) && !clientId.equals(ClientAssertions.issuer(assertion))) {
                return FederatedCredential.problem(assertion, federated.get(clientId), tokens.clock().instant());
            }
            if (!certificates.containsKey(clientId)) {
                return "AADSTS700027: Client assertion contains an invalid signature. No certificate is registered "
                        + "for app '" + clientId + "'.";
            }
            if (!ClientAssertions.JWT_BEARER.equals(form.get("client_assertion_type"))) {
                return "AADSTS700025: client_assertion_type must be '" + ClientAssertions.JWT_BEARER + "'.";
            }
            return ClientAssertions.problem(assertion, clientId, certificates.get(clientId).map(X509Certificate::getPublicKey).orElse(null),
                    tokens.clock().instant());
        }
        return "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or "
                + "'client_secret'.";
    }

    /** msal4j may add the OIDC scopes; what remains must be one {@code <resource>/.default}. */
    private static String resourceScope(String scope) {
        if (scope == null) {
            return null;
        }
        List<String> resources = Arrays.stream(scope.trim().split("\\s+"))
                .filter(s -> !s.isEmpty() && !OIDC_SCOPES.contains(s))
                .toList();
        return resources.size() == 1 && resources.get(0).endsWith("/.default") ? resources.get(0) : null;
    }

    private static int aadCode(String description) {
        int colon = description.indexOf(':');
        return Integer.parseInt(description.substring("AADSTS".length(), colon));
    }

    private void recordForm(Map<String, String> form) {
        Map<String, String> masked = new LinkedHashMap<>(form);
        masked.computeIfPresent("client_secret", (key, value) -> "***");
        masked.computeIfPresent("client_assertion", (key, value) -> "***");
        synchronized (tokenRequestForms) {
            tokenRequestForms.add(Map.copyOf(masked));
        }
    }

    private void fail(HttpExchange exchange, int status, String error, int code, String description) throws IOException {
        Exchanges.sendJson(exchange, status, aadError(error, code, description, tokens.clock().instant().toString()));
    }

    private static ObjectNode aadError(String error, int code, String description, String timestamp) {
        String traceId = UUID.randomUUID().toString();
        String correlationId = UUID.randomUUID().toString();
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("error_description", description + " Trace ID: " + traceId + " Correlation ID: " + correlationId
                + (timestamp == null ? "" : " Timestamp: " + timestamp));
        body.putArray("error_codes").add(code);
        if (timestamp != null) {
            body.put("timestamp", timestamp);
        }
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        return body;
    }

    private ObjectNode openIdConfiguration(String tenant) {
        String base = baseUrl() + "/" + tenant;
        ObjectNode body = Json.object();
        body.put("token_endpoint", base + "/oauth2/v2.0/token");
        body.putArray("token_endpoint_auth_methods_supported")
                .add("client_secret_post").add("private_key_jwt").add("client_secret_basic");
        body.put("jwks_uri", base + "/discovery/v2.0/keys");
        body.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
        body.putArray("subject_types_supported").add("pairwise");
        body.putArray("id_token_signing_alg_values_supported").add("RS256");
        body.putArray("response_types_supported").add("code").add("id_token").add("code id_token").add("id_token token");
        body.putArray("scopes_supported").add("openid").add("profile").add("email").add("offline_access");
        body.put("issuer", base + "/v2.0");
        body.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
        body.put("device_authorization_endpoint", base + "/oauth2/v2.0/devicecode");
        body.put("end_session_endpoint", base + "/oauth2/v2.0/logout");
        body.put("tenant_region_scope", "EU");
        return body;
    }

    /** Names this host (with and without port) as its own alias, so nothing points elsewhere. */
    private ObjectNode instanceDiscovery() {
        String hostPort = "localhost:" + port();
        ObjectNode body = Json.object();
        body.put("tenant_discovery_endpoint", baseUrl() + "/" + tenantId + "/v2.0/.well-known/openid-configuration");
        body.put("api-version", "1.1");
        ObjectNode metadata = body.putArray("metadata").addObject();
        metadata.put("preferred_network", hostPort);
        metadata.put("preferred_cache", hostPort);
        metadata.putArray("aliases").add(hostPort).add("localhost");
        return body;
    }

    public static final class Builder {
        private String tenantId = UUID.randomUUID().toString();
        private final Map<String, String> secrets = new HashMap<>();
        private final Map<String, Optional<X509Certificate>> certificates = new HashMap<>();
        private TokenRegistry tokens;
        private Duration expiresIn = DEFAULT_EXPIRES_IN;

        private Builder() {
        }

        public Builder tenantId(String tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        /** Registers an app that authenticates with a client secret. */
        public Builder client(String clientId, String secret) {
            secrets.put(clientId, secret);
            return this;
        }

        /**
         * Registers an app that authenticates with a signed client assertion. With a null certificate
         * any well-formed assertion naming the client is accepted (signatures are not checked).
         */
        public Builder certificateClient(String clientId, X509Certificate certificate) {
            certificates.put(clientId, Optional.ofNullable(certificate));
            return this;
        }

        public Builder tokens(TokenRegistry tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder expiresIn(Duration expiresIn) {
            this.expiresIn = expiresIn;
            return this;
        }

        public EntraStandIn start() {
            return new EntraStandIn(this);
        }
    }
}
