package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The managed identity endpoint of Azure App Service, the one of msal4j's managed identity sources
 * whose address the platform announces (IDENTITY_ENDPOINT and IDENTITY_HEADER) and which is a plain
 * HTTP endpoint on the host itself, so a loopback stand-in plays it faithfully. Its tokens go into
 * the {@link TokenRegistry} the Sentinel stand-in checks, under the identity's client id.
 *
 * <p>The protocol is Microsoft's "REST endpoint reference" of "Managed identities for App Service and
 * Azure Functions" (learn.microsoft.com/azure/app-service/overview-managed-identity) and what msal4j
 * 1.26.0's {@code AppServiceManagedIdentitySource} sends: {@code GET} with {@code api-version=2019-08-01},
 * {@code resource}, {@code client_id} for a user-assigned identity, and the {@code X-IDENTITY-HEADER}
 * that guards against request forgery; the answer carries {@code access_token} and {@code expires_on}
 * in seconds since the epoch, as a string.
 */
public final class ManagedIdentityStandIn implements AutoCloseable {

    public static final String PATH = "/msi/token";
    static final String API_VERSION = "2019-08-01";

    private final HttpServer server;
    private final TokenRegistry tokens;
    private final String identityHeader = UUID.randomUUID().toString();
    private final Optional<String> systemAssigned;
    private final Map<String, Boolean> userAssigned = new ConcurrentHashMap<>();
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private volatile Duration expiresIn = EntraStandIn.DEFAULT_EXPIRES_IN;

    /**
     * @param systemAssigned the client id of the resource's system-assigned identity, or empty when the
     *                       resource has none
     */
    public ManagedIdentityStandIn(TokenRegistry tokens, Optional<String> systemAssigned) {
        this.tokens = tokens;
        this.systemAssigned = systemAssigned;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the managed identity stand-in", e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange);
            }
        });
        server.start();
    }

    /** Assigns a user-assigned identity to the resource. */
    public ManagedIdentityStandIn assign(String clientId) {
        userAssigned.put(clientId, true);
        return this;
    }

    /** What the platform announces in IDENTITY_ENDPOINT. */
    public String endpoint() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + PATH;
    }

    /** What the platform announces in IDENTITY_HEADER. */
    public String identityHeader() {
        return identityHeader;
    }

    public void expiresIn(Duration lifetime) {
        this.expiresIn = lifetime;
    }

    /** The query of every token request, in arrival order. */
    public List<Map<String, String>> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (!"GET".equals(exchange.getRequestMethod()) || !PATH.equals(exchange.getRequestURI().getPath())) {
            Exchanges.sendJson(exchange, 404, error(404, "Not found: " + exchange.getRequestURI().getPath()));
            return;
        }
        requests.add(query);
        // Microsoft does not document the answer to a request without the header; a refusal is what
        // breaks a client that forgets it
        if (!identityHeader.equals(exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER"))) {
            Exchanges.sendJson(exchange, 401, error(401, "The X-IDENTITY-HEADER header is missing or wrong."));
            return;
        }
        if (!API_VERSION.equals(query.get("api-version"))) {
            Exchanges.sendJson(exchange, 400, error(400, "Unsupported api-version: " + query.get("api-version")));
            return;
        }
        String resource = query.get("resource");
        if (resource == null || resource.isBlank()) {
            Exchanges.sendJson(exchange, 400, error(400, "The resource parameter is required."));
            return;
        }
        String requested = query.get("client_id");
        Optional<String> identity = requested == null ? systemAssigned
                : Optional.of(requested).filter(userAssigned::containsKey);
        if (identity.isEmpty()) {
            Exchanges.sendJson(exchange, 400, error(400, "No Managed Identity found for specified "
                    + "ClientId/ResourceId/PrincipalId."));
            return;
        }
        TokenRegistry.IssuedToken token = tokens.issue(identity.get(), resource + "/.default", expiresIn);
        ObjectNode body = Json.object();
        body.put("access_token", token.accessToken());
        body.put("expires_on", Long.toString(token.expiresAt().getEpochSecond()));
        body.put("resource", resource);
        body.put("token_type", "Bearer");
        body.put("client_id", identity.get());
        Exchanges.sendJson(exchange, 200, body);
    }

    private static ObjectNode error(int status, String message) {
        ObjectNode body = Json.object();
        body.put("statusCode", status);
        body.put("message", message);
        body.put("correlationId", UUID.randomUUID().toString());
        return body;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return Map.copyOf(out);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
