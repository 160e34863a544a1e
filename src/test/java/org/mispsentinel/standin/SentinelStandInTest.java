package org.mispsentinel.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SentinelStandInTest {

    private static final String WORKSPACE = "0b5c1f4e-7d3a-4c2b-9e8f-1a2b3c4d5e6f";
    private static final SentinelStandIn.Endpoint LEGACY = SentinelStandIn.Endpoint.INDICATORS;
    private static final SentinelStandIn.Endpoint STIX = SentinelStandIn.Endpoint.STIX_OBJECTS;

    private final StandInHttp http = new StandInHttp();
    private final AdjustableClock clock = new AdjustableClock(Instant.parse("2026-11-01T10:00:00Z"));
    private final TokenRegistry tokens = new TokenRegistry(clock);
    private final List<SentinelStandIn> started = new ArrayList<>();
    private SentinelStandIn sentinel;
    private String token;

    @BeforeEach
    void start() {
        sentinel = start(SentinelStandIn.builder());
        token = tokens.issue("client", "https://management.azure.com/.default", Duration.ofHours(1)).accessToken();
    }

    private SentinelStandIn start(SentinelStandIn.Builder builder) {
        SentinelStandIn server = builder.workspace(WORKSPACE).tokens(tokens).start();
        started.add(server);
        return server;
    }

    @AfterEach
    void stop() {
        started.forEach(SentinelStandIn::close);
    }

    static Map<String, Object> indicator(String value) {
        Map<String, Object> indicator = new LinkedHashMap<>();
        indicator.put("type", "indicator");
        indicator.put("spec_version", "2.1");
        indicator.put("id", "indicator--" + UUID.nameUUIDFromBytes(value.getBytes()));
        indicator.put("created", "2026-11-01T09:00:00.000Z");
        indicator.put("modified", "2026-11-01T09:00:00.000Z");
        indicator.put("pattern", "[ipv4-addr:value = '" + value + "']");
        indicator.put("pattern_type", "stix");
        indicator.put("valid_from", "2026-11-01T09:00:00.000Z");
        return indicator;
    }

    static List<Map<String, Object>> indicators(int count) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(indicator("198.51.100." + (i % 250) + "/" + i));
        }
        return list;
    }

    private HttpResponse<String> upload(SentinelStandIn server, SentinelStandIn.Endpoint endpoint, Object objects) {
        return http.postJson(server.uploadUrl(endpoint, WORKSPACE),
                Map.of("sourcesystem", "MISP", endpoint.arrayField, objects), Map.of("Authorization", "Bearer " + token));
    }

    private HttpResponse<String> upload(Object objects) {
        return upload(sentinel, LEGACY, objects);
    }

    @Test
    void acceptsValidIndicatorsWithAnEmptyBodyAndCountsEachUpsert() {
        Map<String, Object> first = indicator("198.51.100.7");
        HttpResponse<String> once = upload(List.of(first, indicator("203.0.113.9")));
        Map<String, Object> revised = new HashMap<>(first);
        revised.put("revoked", true);
        HttpResponse<String> again = upload(sentinel, STIX, List.of(revised));

        assertThat(once.statusCode()).isEqualTo(200);
        assertThat(once.body()).isEmpty();
        assertThat(again.statusCode()).isEqualTo(200);
        String id = (String) first.get("id");
        assertThat(sentinel.acceptedCount()).isEqualTo(2);
        assertThat(sentinel.uploadCount(id)).isEqualTo(2);
        assertThat(sentinel.uploadCount((String) indicator("203.0.113.9").get("id"))).isEqualTo(1);
        assertThat(sentinel.accepted().get(id).path("revoked").asBoolean()).isTrue();
        assertThat(sentinel.duplicateUploads()).isEqualTo(1);
        assertThat(sentinel.requests()).isEqualTo(2);
        assertThat(sentinel.batchSizes()).containsExactly(2, 1);
        assertThat(sentinel.uploads().get(0).sourceSystem()).isEqualTo("MISP");
    }

    @Test
    void acceptsOtherStixObjectsOnlyOnTheStixObjectsEndpoint() {
        Map<String, Object> identity = Map.of("type", "identity", "spec_version", "2.1", "id", "identity--" + UUID.randomUUID(),
                "created", "2026-11-01T09:00:00Z", "modified", "2026-11-01T09:00:00Z", "name", "CIRCL");

        assertThat(upload(sentinel, STIX, List.of(identity)).statusCode()).isEqualTo(200);
        HttpResponse<String> legacy = upload(List.of(identity, indicator("198.51.100.1")));
        assertThat(legacy.statusCode()).isEqualTo(200);
        assertThat(StandInHttp.json(legacy).path("errors").get(0).path("recordIndex").asInt()).isZero();
    }

    /**
     * sentinel-api.md, "Two upload endpoints" (and Microsoft's stix-objects-api page) list the object
     * types the STIX objects API takes and say nothing of a reference to an object the workspace does
     * not hold yet; the stand-in refuses such a record, which breaks a client that sends a relationship
     * or a created_by_ref ahead of what it points to.
     */
    @Test
    void refusesReferencesToObjectsNotInTheWorkspaceYetAndCountsTheContext() {
        String identityId = "identity--" + UUID.randomUUID();
        Map<String, Object> identity = Map.of("type", "identity", "spec_version", "2.1", "id", identityId,
                "created", "2026-11-01T09:00:00Z", "modified", "2026-11-01T09:00:00Z", "name", "CIRCL");
        Map<String, Object> indicator = indicator("198.51.100.1");
        indicator.put("created_by_ref", identityId);
        Map<String, Object> relationship = Map.of("type", "relationship", "spec_version", "2.1",
                "id", "relationship--" + UUID.randomUUID(), "created", "2026-11-01T09:00:00Z",
                "modified", "2026-11-01T09:00:00Z", "relationship_type", "indicates",
                "source_ref", indicator.get("id"), "target_ref", identityId);

        JsonNode ahead = StandInHttp.json(upload(sentinel, STIX, List.of(relationship, indicator, identity)));
        HttpResponse<String> inOrder = upload(sentinel, STIX, List.of(identity, indicator, relationship));

        assertThat(ahead.path("errors")).extracting(e -> e.path("recordIndex").asInt()).containsExactly(0, 1);
        assertThat(inOrder.statusCode()).isEqualTo(200);
        assertThat(inOrder.body()).isEmpty();
        assertThat(sentinel.contextByType()).isEqualTo(Map.of("identity", 2L, "relationship", 1L));
        assertThat(sentinel.requestsWithContext()).isEqualTo(2);
        assertThat(sentinel.uploads()).extracting(SentinelStandIn.Upload::indicators).containsExactly(1, 1);
    }

    @Test
    void reportsPerRecordErrorsForIndicatorsMissingRequiredFields() {
        Map<String, Object> noPattern = indicator("198.51.100.2");
        noPattern.remove("pattern");
        Map<String, Object> badUntil = indicator("198.51.100.3");
        badUntil.put("valid_until", "2020-01-01T00:00:00Z");

        HttpResponse<String> response = upload(List.of(indicator("198.51.100.1"), noPattern, badUntil));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode errors = StandInHttp.json(response).path("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).path("recordIndex").asInt()).isEqualTo(1);
        assertThat(errors.get(0).path("errorMessages").get(0).asText()).contains("pattern");
        assertThat(errors.get(1).path("recordIndex").asInt()).isEqualTo(2);
        assertThat(sentinel.acceptedCount()).isEqualTo(1);
    }

    /**
     * sentinel-api.md, "Limits and responses": the legacy API's documentation names the list
     * errorMessages, the STIX objects API's published REST spec and example validationErrorMessages.
     */
    @Test
    void namesThePerRecordMessageListAsEachApiDoes() {
        Map<String, Object> noPattern = indicator("198.51.100.2");
        noPattern.remove("pattern");

        JsonNode legacy = StandInHttp.json(upload(sentinel, LEGACY, List.of(indicator("198.51.100.1"), noPattern)));
        JsonNode stix = StandInHttp.json(upload(sentinel, STIX, List.of(indicator("198.51.100.1"), noPattern)));

        assertThat(legacy.path("errors").get(0).path("errorMessages").get(0).asText()).contains("pattern");
        assertThat(stix.path("errors").get(0).path("validationErrorMessages").get(0).asText()).contains("pattern");
        assertThat(stix.path("errors").get(0).has("errorMessages")).isFalse();
    }

    /**
     * sentinel-api.md, "Hosts": the legacy API is documented on sentinelus.azure-api.net, the STIX
     * objects API on api.ti.sentinel.azure.com (.us, .cn); no Microsoft source puts the legacy path
     * on api.ti. What the other host answers is not documented; a 404 breaks a client that assumes
     * any host serves both.
     */
    @Test
    void servesEachApiOnlyOnTheHostsMicrosoftDocumentsForIt() {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
        Map<String, Object> legacyBody = Map.of("sourcesystem", "MISP", "indicators", indicators(1));
        Map<String, Object> stixBody = Map.of("sourcesystem", "MISP", "stixobjects", indicators(1));

        assertThat(http.postJson(sentinel.apiHost("api.ti.sentinel.azure.com") + LEGACY.path(WORKSPACE), legacyBody, auth)
                .statusCode()).isEqualTo(404);
        assertThat(http.postJson(sentinel.apiHost("sentinelus.azure-api.net") + STIX.path(WORKSPACE), stixBody, auth)
                .statusCode()).isEqualTo(404);
        assertThat(http.postJson(sentinel.baseUrl() + STIX.path(WORKSPACE), stixBody, auth).statusCode()).isEqualTo(404);
        assertThat(http.postJson(sentinel.apiHost("sentinelus.azure-api.net") + LEGACY.path(WORKSPACE), legacyBody, auth)
                .statusCode()).isEqualTo(200);
        assertThat(http.postJson(sentinel.apiHost("api.ti.sentinel.azure.us") + STIX.path(WORKSPACE), stixBody, auth)
                .statusCode()).isEqualTo(200);
        assertThat(sentinel.acceptedCount()).isEqualTo(1);
    }

    /**
     * sentinel-api.md: Microsoft's documentation copies disagree on the default spec_version, so
     * the stand-in refuses a record that leaves it to the server.
     */
    @Test
    void refusesARecordWithoutSpecVersion() {
        Map<String, Object> bare = indicator("198.51.100.2");
        bare.remove("spec_version");

        HttpResponse<String> response = upload(List.of(indicator("198.51.100.1"), bare));

        assertThat(StandInHttp.json(response).path("errors").get(0).path("recordIndex").asInt()).isEqualTo(1);
        assertThat(sentinel.acceptedCount()).isEqualTo(1);
    }

    @Test
    void failsTheWholeRequestWhenNoRecordIsAcceptable() {
        Map<String, Object> broken = indicator("198.51.100.2");
        broken.remove("valid_from");

        HttpResponse<String> response = upload(List.of(broken));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(StandInHttp.json(response).path("errors").get(0).path("recordIndex").asInt()).isZero();
    }

    @Test
    void refusesEmptyOrOversizedBatchesAndAMissingOrReservedSourceSystem() {
        String url = sentinel.uploadUrl(LEGACY, WORKSPACE);
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token);

        assertThat(upload(indicators(101)).statusCode()).isEqualTo(400);
        assertThat(upload(indicators(100)).statusCode()).isEqualTo(200);
        assertThat(upload(List.of()).statusCode()).isEqualTo(400);
        assertThat(http.postJson(url, Map.of("indicators", indicators(1)), auth).statusCode()).isEqualTo(400);
        assertThat(http.postJson(url, Map.of("sourcesystem", "Microsoft Sentinel", "indicators", indicators(1)), auth)
                .statusCode()).isEqualTo(400);
        assertThat(http.postJson(url, "{not json", auth).statusCode()).isEqualTo(400);
        assertThat(sentinel.batchSizes()).containsExactly(100);
    }

    @Test
    void answers401ForAMissingUnknownOrExpiredToken() {
        String url = sentinel.uploadUrl(LEGACY, WORKSPACE);
        Map<String, Object> body = Map.of("sourcesystem", "MISP", "indicators", indicators(1));

        HttpResponse<String> missing = http.postJson(url, body, Map.of());
        HttpResponse<String> unknown = http.postJson(url, body, Map.of("Authorization", "Bearer forged"));
        clock.advance(Duration.ofHours(1));
        HttpResponse<String> expired = http.postJson(url, body, Map.of("Authorization", "Bearer " + token));

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(StandInHttp.json(expired).path("error").path("code").asText()).isEqualTo("ExpiredAuthenticationToken");
        assertThat(sentinel.acceptedCount()).isZero();
    }

    @Test
    void answers404ForAnUnknownWorkspaceAnd400ForAWrongApiVersion() {
        Map<String, Object> body = Map.of("sourcesystem", "MISP", "indicators", indicators(1));
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token);

        assertThat(http.postJson(sentinel.uploadUrl(LEGACY, UUID.randomUUID().toString()), body, auth).statusCode())
                .isEqualTo(404);
        assertThat(http.postJson(sentinel.apiHost(LEGACY.commercialHost()) + "/workspaces/" + WORKSPACE
                + "/threatintelligenceindicators:upload?api-version=2024-02-01-preview", body, auth).statusCode())
                .isEqualTo(400);
    }

    @Test
    void answers413WhenTheBodyExceedsTheCap() {
        SentinelStandIn small = start(SentinelStandIn.builder().maxBodyBytes(2_000));

        assertThat(upload(small, LEGACY, indicators(50)).statusCode()).isEqualTo(413);
        assertThat(upload(small, LEGACY, indicators(1)).statusCode()).isEqualTo(200);
    }

    @Test
    void throttlesBeyondTheRateLimitWithRetryAfterAndCountsEarlyRetries() {
        SentinelStandIn limited = start(SentinelStandIn.builder().clock(clock).rateLimit(2, Duration.ofSeconds(10))
                .retryAfter(RetryAfterMode.HEADER));

        assertThat(upload(limited, LEGACY, indicators(1)).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMillis(2_500));
        assertThat(upload(limited, LEGACY, indicators(1)).statusCode()).isEqualTo(200);
        HttpResponse<String> throttled = upload(limited, LEGACY, indicators(1));

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("8");
        assertThat(StandInHttp.json(throttled).path("message").asText())
                .isEqualTo("Rate limit is exceeded. Try again in 8 seconds.");
        assertThat(StandInHttp.json(throttled).path("statusCode").asInt()).isEqualTo(429);
        assertThat(limited.earlyRetries()).isZero();

        clock.advance(Duration.ofSeconds(7));
        assertThat(upload(limited, LEGACY, indicators(1)).statusCode()).isEqualTo(429);
        assertThat(limited.earlyRetries()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(8));
        assertThat(upload(limited, LEGACY, indicators(1)).statusCode()).isEqualTo(200);
        assertThat(limited.throttledCount()).isEqualTo(2);
        assertThat(limited.earlyRetries()).isEqualTo(1);
    }

    @Test
    void canThrottleWithTheSecondsOnlyInTheMessage() {
        SentinelStandIn limited = start(SentinelStandIn.builder().clock(clock).rateLimit(1, Duration.ofSeconds(30))
                .retryAfter(RetryAfterMode.MESSAGE));

        upload(limited, LEGACY, indicators(1));
        HttpResponse<String> throttled = upload(limited, LEGACY, indicators(1));

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isEmpty();
        assertThat(StandInHttp.json(throttled).path("message").asText()).contains("Try again in 30 seconds.");
        clock.advance(Duration.ofSeconds(30));
        assertThat(upload(limited, LEGACY, indicators(1)).statusCode()).isEqualTo(200);
        assertThat(limited.earlyRetries()).isZero();
    }

    @Test
    void scriptedThrottleSetsTheRetryTimeFromTheMessageWhenThereIsNoHeader() {
        sentinel.enqueue(SentinelFault.throttled(12, false));
        SentinelStandIn timed = start(SentinelStandIn.builder().clock(clock));
        timed.enqueue(SentinelFault.throttled(5, true));

        assertThat(upload(sentinel, LEGACY, indicators(1)).statusCode()).isEqualTo(429);
        assertThat(sentinel.retryNotBefore()).contains(clock.instant().plusSeconds(12));

        assertThat(upload(timed, LEGACY, indicators(1)).headers().firstValue("Retry-After")).contains("5");
        clock.advance(Duration.ofSeconds(4));
        upload(timed, LEGACY, indicators(1));
        clock.advance(Duration.ofSeconds(1));
        upload(timed, LEGACY, indicators(1));
        assertThat(timed.earlyRetries()).isEqualTo(1);
        assertThat(timed.throttledCount()).isEqualTo(1);
    }

    @Test
    void appliesScriptedStatusesInOrder() {
        sentinel.enqueue(SentinelFault.serverError(503)).enqueue(SentinelFault.forbidden())
                .enqueue(SentinelFault.status(502, "<html>bad gateway</html>", Map.of("Content-Type", "text/html")));

        assertThat(upload(indicators(1)).statusCode()).isEqualTo(503);
        HttpResponse<String> forbidden = upload(indicators(1));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(StandInHttp.json(forbidden).path("error").path("code").asText()).isEqualTo("AuthorizationFailed");
        assertThat(StandInHttp.json(forbidden).path("error").path("message").asText())
                .contains("Microsoft.SecurityInsights/threatIntelligence/write");
        HttpResponse<String> gateway = upload(indicators(1));
        assertThat(gateway.statusCode()).isEqualTo(502);
        assertThat(gateway.headers().firstValue("Content-Type")).contains("text/html");
        assertThat(upload(indicators(1)).statusCode()).isEqualTo(200);
        assertThat(sentinel.requests()).isEqualTo(4);
        assertThat(sentinel.acceptedCount()).isEqualTo(1);
    }

    @Test
    void delayAndResetFaultsBreakTheRequestWithoutStoringIt() {
        sentinel.enqueue(SentinelFault.delay(Duration.ofMinutes(5))).enqueue(SentinelFault.reset());
        String url = sentinel.uploadUrl(LEGACY, WORKSPACE);
        Map<String, Object> body = Map.of("sourcesystem", "MISP", "indicators", indicators(1));

        assertThatThrownBy(() -> http.postJson(url, body, Map.of("Authorization", "Bearer " + token), Duration.ofMillis(300)))
                .hasCauseInstanceOf(HttpTimeoutException.class);
        assertThatThrownBy(() -> upload(indicators(1))).isInstanceOf(UncheckedIOException.class);
        assertThat(sentinel.acceptedCount()).isZero();
    }

    @Test
    void rejectsMatchingRecordsInsideA200() {
        sentinel.rejectRecordsMatching(o -> o.path("pattern").asText().contains("203.0.113."));

        HttpResponse<String> response = upload(List.of(indicator("198.51.100.1"), indicator("203.0.113.1")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(StandInHttp.json(response).path("errors").get(0).path("recordIndex").asInt()).isEqualTo(1);
        assertThat(sentinel.acceptedCount()).isEqualTo(1);
    }

    @Test
    void refusesWholeBatchesContainingAPoisonRecordSoClientsCanBisect() {
        sentinel.rejectBatchesContaining(o -> o.path("pattern").asText().contains("poison"));
        Map<String, Object> poison = indicator("poison");

        assertThat(upload(List.of(indicator("198.51.100.1"), poison, indicator("198.51.100.2"))).statusCode()).isEqualTo(400);
        assertThat(sentinel.acceptedCount()).isZero();
        assertThat(upload(List.of(indicator("198.51.100.1"))).statusCode()).isEqualTo(200);
        assertThat(upload(List.of(poison)).statusCode()).isEqualTo(400);
        assertThat(sentinel.acceptedCount()).isEqualTo(1);
    }

    @Test
    void keepsOnlyIdsAndCountsWhenContentKeepingIsOff() {
        SentinelStandIn lean = start(SentinelStandIn.builder().keepContent(false));

        upload(lean, LEGACY, indicators(3));

        assertThat(lean.acceptedCount()).isEqualTo(3);
        assertThat(lean.accepted()).isEmpty();
        assertThat(lean.acceptedIds()).hasSize(3);
    }

    /**
     * sentinel-api.md, "Authentication": the app needs the Microsoft Sentinel Contributor role on the
     * workspace, and a missing role shows up only as 401/403 from the upload call ("does not have required
     * permission"); "Limits and responses": non-200 bodies are {"error": {"code", "message"}} with an
     * x-ms-error-code header. A role assignment added or removed takes effect on the next request here
     * (Azure can take minutes).
     */
    @Test
    void answers403NamingTheAppToOneWithoutTheRoleOnTheWorkspace() {
        String restricted = UUID.randomUUID().toString();
        SentinelStandIn server = start(SentinelStandIn.builder().workspace(restricted, "contributor"));
        String contributor = tokens.issue("contributor", "https://management.azure.com/.default", Duration.ofHours(1))
                .accessToken();
        Map<String, Object> body = Map.of("sourcesystem", "MISP", "stixobjects", indicators(1));
        String url = server.uploadUrl(STIX, restricted);

        HttpResponse<String> stranger = http.postJson(url, body, Map.of("Authorization", "Bearer " + token));
        HttpResponse<String> holder = http.postJson(url, body, Map.of("Authorization", "Bearer " + contributor));
        server.revokeRole(restricted, "contributor");
        HttpResponse<String> revoked = http.postJson(url, body, Map.of("Authorization", "Bearer " + contributor));
        server.grantRole(restricted, "client");
        HttpResponse<String> granted = http.postJson(url, body, Map.of("Authorization", "Bearer " + token));

        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(stranger.headers().firstValue("x-ms-error-code")).contains("AuthorizationFailed");
        JsonNode error = StandInHttp.json(stranger).path("error");
        assertThat(error.path("code").asText()).isEqualTo("AuthorizationFailed");
        assertThat(error.path("message").asText()).contains("'client'").contains("does not have required permission")
                .contains("/workspaces/" + restricted);
        assertThat(holder.statusCode()).isEqualTo(200);
        assertThat(revoked.statusCode()).isEqualTo(403);
        assertThat(granted.statusCode()).isEqualTo(200);
        assertThat(upload(sentinel, STIX, indicators(1)).statusCode()).as("a workspace built open takes any app").isEqualTo(200);
    }

    /**
     * Microsoft documents no order among its refusals. The stand-in checks the token (401), then the
     * workspace (404), then the role (403), and only then the request (400), as Azure authorises before it
     * validates: so a request that cannot be valid still says whether the app may upload there.
     */
    @Test
    void judgesTokenThenWorkspaceThenRoleThenTheRequest() {
        String restricted = UUID.randomUUID().toString();
        SentinelStandIn server = start(SentinelStandIn.builder().workspace(restricted, "contributor"));
        Map<String, Object> empty = Map.of("sourcesystem", "MISP", "stixobjects", List.of());
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token);

        assertThat(http.postJson(server.uploadUrl(STIX, UUID.randomUUID().toString()), empty, Map.of()).statusCode())
                .isEqualTo(401);
        assertThat(http.postJson(server.uploadUrl(STIX, UUID.randomUUID().toString()), empty, auth).statusCode())
                .isEqualTo(404);
        assertThat(http.postJson(server.uploadUrl(STIX, restricted), empty, auth).statusCode()).isEqualTo(403);
        server.grantRole(restricted, "client");
        assertThat(http.postJson(server.uploadUrl(STIX, restricted), empty, auth).statusCode()).isEqualTo(400);
    }

    /**
     * Both REST specs in azure-rest-api-specs (specification/securityinsights/data-plane, ThreatIntelligence.json
     * of 2022-12-01-preview and of 2024-02-01-preview): "The API returns 200 when at least one indicator [STIX
     * object] is successfully validated and published", which an empty array never is; what it answers instead
     * is not documented. The stand-in answers 400 in the error shape, which breaks a client that takes an
     * authorised empty upload for a 200.
     */
    @Test
    void refusesAnAuthorisedUploadOfNoObjectsWith400OnBothApis() {
        HttpResponse<String> legacy = upload(sentinel, LEGACY, List.of());
        HttpResponse<String> stix = upload(sentinel, STIX, List.of());

        assertThat(legacy.statusCode()).isEqualTo(400);
        assertThat(stix.statusCode()).isEqualTo(400);
        assertThat(StandInHttp.json(stix).path("error").path("message").asText()).contains("stixobjects");
        assertThat(sentinel.acceptedCount()).isZero();
    }
}
