package org.mispsentinel.standin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * App Service's managed identity endpoint as Microsoft's REST endpoint reference describes it and
 * msal4j 1.26.0's AppServiceManagedIdentitySource calls it (see {@link ManagedIdentityStandIn}).
 */
class ManagedIdentityStandInTest {

    private static final String SYSTEM = "5b1d7c2e-0000-4000-8000-000000000001";
    private static final String USER = "5b1d7c2e-0000-4000-8000-000000000002";
    private static final String RESOURCE = "https://management.azure.com";

    private final StandInHttp http = new StandInHttp();
    private final AdjustableClock clock = new AdjustableClock(Instant.parse("2026-11-01T10:00:00Z"));
    private final TokenRegistry tokens = new TokenRegistry(clock);
    private final ManagedIdentityStandIn endpoint = new ManagedIdentityStandIn(tokens, Optional.of(SYSTEM)).assign(USER);

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private HttpResponse<String> get(String query, Map<String, String> headers) {
        return http.get(endpoint.endpoint() + "?" + query, headers);
    }

    private Map<String, String> header() {
        return Map.of("X-IDENTITY-HEADER", endpoint.identityHeader());
    }

    @Test
    void isAPlainHttpEndpointOnLoopbackAsAppServiceAnnouncesIt() {
        assertThat(endpoint.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+/msi/token");
    }

    @Test
    void issuesTheSystemAssignedIdentitysTokenWithExpiresOnInEpochSeconds() {
        HttpResponse<String> response = get("api-version=2019-08-01&resource=" + RESOURCE, header());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = StandInHttp.json(response);
        assertThat(body.path("expires_on").isTextual()).as("a string, as App Service sends it").isTrue();
        assertThat(body.path("expires_on").asText()).isEqualTo(Long.toString(clock.instant().plusSeconds(3599).getEpochSecond()));
        assertThat(body.path("client_id").asText()).isEqualTo(SYSTEM);
        assertThat(body.path("resource").asText()).isEqualTo(RESOURCE);
        assertThat(tokens.find(body.path("access_token").asText())).hasValueSatisfying(t ->
                assertThat(t.clientId()).isEqualTo(SYSTEM));
    }

    @Test
    void issuesAUserAssignedIdentitysTokenByItsClientIdAndRefusesOneNotAssigned() {
        JsonNode user = StandInHttp.json(get("api-version=2019-08-01&resource=" + RESOURCE + "&client_id=" + USER, header()));
        HttpResponse<String> unknown = get("api-version=2019-08-01&resource=" + RESOURCE
                + "&client_id=5b1d7c2e-0000-4000-8000-000000000003", header());

        assertThat(user.path("client_id").asText()).isEqualTo(USER);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(StandInHttp.json(unknown).path("message").asText()).startsWith("No Managed Identity found");
    }

    @Test
    void refusesARequestWithoutTheIdentityHeaderOrWithAnotherApiVersion() {
        assertThat(get("api-version=2019-08-01&resource=" + RESOURCE, Map.of()).statusCode()).isEqualTo(401);
        assertThat(get("api-version=2019-08-01&resource=" + RESOURCE, Map.of("X-IDENTITY-HEADER", "guess")).statusCode())
                .isEqualTo(401);
        assertThat(get("api-version=2017-09-01&resource=" + RESOURCE, header()).statusCode()).isEqualTo(400);
        assertThat(get("api-version=2019-08-01", header()).statusCode()).isEqualTo(400);
        assertThat(endpoint.requests()).hasSize(4);
        assertThat(tokens.issuedCount()).isZero();
    }
}
