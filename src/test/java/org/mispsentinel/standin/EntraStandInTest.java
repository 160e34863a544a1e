package org.mispsentinel.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EntraStandInTest {

    private static final String TENANT = "11111111-2222-3333-4444-555555555555";
    private static final String CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private static final String SECRET = "s3cr3t~value";
    private static final String CERT_CLIENT = "ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee";
    private static final String SCOPE = "https://management.azure.com/.default";

    private final StandInHttp http = new StandInHttp();
    private final AdjustableClock clock = new AdjustableClock(Instant.parse("2026-11-01T10:00:00Z"));
    private final TokenRegistry tokens = new TokenRegistry(clock);
    private EntraStandIn entra;

    @BeforeEach
    void start() {
        entra = EntraStandIn.builder().tenantId(TENANT).client(CLIENT, SECRET).certificateClient(CERT_CLIENT, null)
                .tokens(tokens).start();
    }

    @AfterEach
    void stop() {
        entra.close();
    }

    private HttpResponse<String> requestToken(String clientId, String secret, String scope) {
        return http.postForm(entra.tokenEndpoint(), Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret, "scope", scope));
    }

    @Test
    void issuesABearerTokenForTheRightSecretAndRegistersIt() {
        HttpResponse<String> response = requestToken(CLIENT, SECRET, SCOPE);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = StandInHttp.json(response);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asInt()).isEqualTo(3599);
        assertThat(body.path("ext_expires_in").asInt()).isEqualTo(3599);
        String token = body.path("access_token").asText();
        assertThat(tokens.check(token)).isEqualTo(TokenRegistry.Status.VALID);
        assertThat(entra.tokenRequests()).isEqualTo(1);
        assertThat(entra.tokenRequestForms().get(0)).containsEntry("client_secret", "***").containsEntry("scope", SCOPE);

        clock.advance(Duration.ofSeconds(3599));
        assertThat(tokens.check(token)).isEqualTo(TokenRegistry.Status.EXPIRED);
        assertThat(tokens.check("made-up")).isEqualTo(TokenRegistry.Status.UNKNOWN);
    }

    @Test
    void answers401InvalidClientForAWrongSecret() {
        HttpResponse<String> response = requestToken(CLIENT, "wrong", SCOPE);

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode body = StandInHttp.json(response);
        assertThat(body.path("error").asText()).isEqualTo("invalid_client");
        assertThat(body.path("error_description").asText()).startsWith("AADSTS7000215: Invalid client secret provided.");
        assertThat(body.path("error_codes").get(0).asInt()).isEqualTo(7000215);
        assertThat(response.body()).doesNotContain("wrong");
        assertThat(tokens.issuedCount()).isZero();
    }

    @Test
    void answers400UnauthorizedClientForAnUnknownApplication() {
        HttpResponse<String> response = requestToken("99999999-0000-0000-0000-000000000000", SECRET, SCOPE);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = StandInHttp.json(response);
        assertThat(body.path("error").asText()).isEqualTo("unauthorized_client");
        assertThat(body.path("error_description").asText()).startsWith("AADSTS700016:");
    }

    @Test
    void refusesAScopeWithoutDotDefaultAndAnUnknownTenant() {
        assertThat(requestToken(CLIENT, SECRET, "https://management.azure.com/user_impersonation").statusCode()).isEqualTo(400);
        HttpResponse<String> otherTenant = http.postForm(entra.baseUrl() + "/other-tenant/oauth2/v2.0/token",
                Map.of("grant_type", "client_credentials", "client_id", CLIENT, "client_secret", SECRET, "scope", SCOPE));
        assertThat(otherTenant.statusCode()).isEqualTo(400);
        assertThat(StandInHttp.json(otherTenant).path("error_description").asText()).startsWith("AADSTS90002:");
    }

    @Test
    void answersUnavailableForTheScriptedNumberOfCallsThenRecovers() {
        entra.enqueue(EntraFault.unavailable(), 2);

        assertThat(requestToken(CLIENT, SECRET, SCOPE).statusCode()).isEqualTo(503);
        assertThat(requestToken(CLIENT, SECRET, SCOPE).statusCode()).isEqualTo(503);
        assertThat(requestToken(CLIENT, SECRET, SCOPE).statusCode()).isEqualTo(200);
        assertThat(entra.tokenRequests()).isEqualTo(3);
    }

    @Test
    void shortensTokenLifetimeWhenConfigured() {
        entra.expiresIn(Duration.ofSeconds(400));
        assertThat(StandInHttp.json(requestToken(CLIENT, SECRET, SCOPE)).path("expires_in").asInt()).isEqualTo(400);
    }

    @Test
    void acceptsAWellFormedClientAssertionNamingTheClient() {
        String assertion = jwt("{\"alg\":\"RS256\"}", "{\"iss\":\"" + CERT_CLIENT + "\",\"sub\":\"" + CERT_CLIENT + "\"}", "sig");
        HttpResponse<String> accepted = http.postForm(entra.tokenEndpoint(), Map.of("grant_type", "client_credentials",
                "client_id", CERT_CLIENT, "scope", SCOPE, "client_assertion", assertion,
                "client_assertion_type", ClientAssertions.JWT_BEARER));
        String foreign = jwt("{\"alg\":\"RS256\"}", "{\"iss\":\"someone\",\"sub\":\"someone\"}", "sig");
        HttpResponse<String> refused = http.postForm(entra.tokenEndpoint(), Map.of("grant_type", "client_credentials",
                "client_id", CERT_CLIENT, "scope", SCOPE, "client_assertion", foreign,
                "client_assertion_type", ClientAssertions.JWT_BEARER));

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(StandInHttp.json(refused).path("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void checksAnAssertionSignatureWhenAKeyIsKnown() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String payload = b64("{\"iss\":\"c\",\"sub\":\"c\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}");
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(keys.getPrivate());
        signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());

        assertThat(ClientAssertions.problem(header + "." + payload + "." + signature, "c", keys.getPublic(), Instant.now()))
                .isNull();
        assertThat(ClientAssertions.problem(header + "." + payload + "." + signature.replace(signature.charAt(5), signature.charAt(5) == 'A' ? 'B' : 'A'),
                "c", keys.getPublic(), Instant.now())).startsWith("AADSTS700027");
        assertThat(ClientAssertions.problem("not-a-jwt", "c", null, Instant.now())).startsWith("AADSTS50027");
    }

    /**
     * Workload identity federation as Microsoft documents it (see {@link FederatedCredential}): the
     * external token's issuer, audience and subject must match a federated credential of the app, it
     * must be within its lifetime and signed by its issuer; each mismatch has its own AADSTS code.
     */
    @Test
    void acceptsAFederatedTokenOnlyForItsIssuerAudienceSubjectLifetimeAndSignature() throws Exception {
        KeyPair issuerKeys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String issuer = "https://oidc.example.test/cluster/";
        String subject = "system:serviceaccount:ti:misp-sentinel";
        entra.federate(CLIENT, issuer, subject, issuerKeys.getPublic());
        long later = clock.instant().plusSeconds(3600).getEpochSecond();
        java.util.function.BiFunction<String, KeyPair, String> signed = (payload, keys) -> {
            try {
                String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
                Signature signer = Signature.getInstance("SHA256withRSA");
                signer.initSign(keys.getPrivate());
                signer.update((header + "." + b64(payload)).getBytes(StandardCharsets.US_ASCII));
                return header + "." + b64(payload) + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        };
        java.util.function.Function<String, HttpResponse<String>> present = assertion -> http.postForm(entra.tokenEndpoint(),
                Map.of("grant_type", "client_credentials", "client_id", CLIENT, "scope", SCOPE,
                        "client_assertion", assertion, "client_assertion_type", ClientAssertions.JWT_BEARER));
        String good = "{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"aud\":[\"api://AzureADTokenExchange\"],\"exp\":" + later + "}";

        assertThat(present.apply(signed.apply(good, issuerKeys)).statusCode()).isEqualTo(200);
        assertThat(Map.of(
                "AADSTS700211", good.replace(issuer, "https://other-issuer.test/"),
                "AADSTS700212", good.replace("api://AzureADTokenExchange", "api://other"),
                "AADSTS70021", good.replace(subject, "system:serviceaccount:ti:other"),
                "AADSTS700024", good.replace(Long.toString(later), Long.toString(clock.instant().getEpochSecond()))))
                .allSatisfy((code, payload) -> {
                    HttpResponse<String> refused = present.apply(signed.apply(payload, issuerKeys));
                    assertThat(refused.statusCode()).isEqualTo(401);
                    assertThat(StandInHttp.json(refused).path("error").asText()).isEqualTo("invalid_client");
                    assertThat(StandInHttp.json(refused).path("error_description").asText()).startsWith(code + ":");
                });
        HttpResponse<String> forged = present.apply(signed.apply(good, KeyPairGenerator.getInstance("RSA").generateKeyPair()));
        assertThat(StandInHttp.json(forged).path("error_description").asText()).startsWith("AADSTS700027:");
        assertThat(requestToken(CLIENT, SECRET, SCOPE).statusCode()).as("the app's secret still works").isEqualTo(200);
    }

    @Test
    void servesMetadataDocumentsNamingOnlyItself() {
        JsonNode openId = StandInHttp.json(http.get(entra.baseUrl() + "/" + TENANT + "/v2.0/.well-known/openid-configuration"));
        JsonNode discovery = StandInHttp.json(http.get(entra.baseUrl() + "/common/discovery/instance?api-version=1.1"));

        assertThat(openId.path("token_endpoint").asText()).isEqualTo(entra.tokenEndpoint());
        assertThat(discovery.toString()).doesNotContain("microsoftonline");
        assertThat(discovery.path("metadata").get(0).path("aliases").toString()).contains("localhost:" + entra.port());
    }

    @Test
    void givesMsal4jATokenAndReportsAWrongSecretTheWayEntraDoes() throws Exception {
        ConfidentialClientApplication app = ConfidentialClientApplication
                .builder(CLIENT, ClientCredentialFactory.createFromSecret(SECRET))
                .authority(entra.authority())
                .validateAuthority(false)
                .instanceDiscovery(false)
                .sslSocketFactory(StandInTls.clientContext().getSocketFactory())
                .build();
        IAuthenticationResult result = app.acquireToken(ClientCredentialParameters.builder(Set.of(SCOPE)).build()).get();

        assertThat(tokens.check(result.accessToken())).isEqualTo(TokenRegistry.Status.VALID);
        assertThat(entra.tokenRequests()).isEqualTo(1);
        System.out.println("msal4j requested: " + entra.requestLog() + " with form keys "
                + entra.tokenRequestForms().get(0).keySet() + " scope=" + entra.tokenRequestForms().get(0).get("scope"));

        ConfidentialClientApplication wrong = ConfidentialClientApplication
                .builder(CLIENT, ClientCredentialFactory.createFromSecret("not-the-secret"))
                .authority(entra.authority())
                .validateAuthority(false)
                .instanceDiscovery(false)
                .sslSocketFactory(StandInTls.clientContext().getSocketFactory())
                .build();
        assertThatThrownBy(() -> wrong.acquireToken(ClientCredentialParameters.builder(Set.of(SCOPE)).build()).get())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(MsalServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.errorCode()).isEqualTo("invalid_client");
                    assertThat(e.getMessage()).startsWith("AADSTS7000215");
                });
    }

    private static String jwt(String header, String payload, String signature) {
        return b64(header) + "." + b64(payload) + "." + b64(signature);
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
