package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;

/**
 * A federated identity credential of an app registration, and Entra's check of a client assertion
 * against it, as Microsoft documents them: "Workload identity federation" (learn.microsoft.com/entra/
 * workload-id/workload-identity-federation: the external token's issuer, subject and audience must
 * match one of the app's federated credentials; the audience is {@code api://AzureADTokenExchange});
 * the client credentials grant's "third case: access token request with a federated credential"
 * (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow); and the AADSTS
 * codes of the error code reference (learn.microsoft.com/entra/identity-platform/reference-error-codes:
 * 700211 issuer, 700212 audience, 70021 no matching record, 700024 time range, 700027 signature).
 */
record FederatedCredential(String issuer, String subject, String audience, PublicKey issuerKey) {

    static final String AUDIENCE = "api://AzureADTokenExchange";

    /** @return null when one of {@code credentials} accepts the assertion, else Entra's description */
    static String problem(String assertion, List<FederatedCredential> credentials, Instant now) {
        ClientAssertions.Jwt jwt = ClientAssertions.Jwt.parse(assertion);
        if (jwt == null) {
            return ClientAssertions.MALFORMED;
        }
        JsonNode payload = jwt.payload();
        String issuer = payload.path("iss").asText();
        String subject = payload.path("sub").asText();
        List<FederatedCredential> ofIssuer = credentials.stream().filter(c -> c.issuer.equals(issuer)).toList();
        if (ofIssuer.isEmpty()) {
            return "AADSTS700211: No matching federated identity record found for presented assertion issuer '"
                    + issuer + "'.";
        }
        if (ofIssuer.stream().noneMatch(c -> audiences(payload).contains(c.audience))) {
            return "AADSTS700212: No matching federated identity record found for presented assertion audience '"
                    + String.join(",", audiences(payload)) + "'.";
        }
        FederatedCredential match = ofIssuer.stream().filter(c -> c.subject.equals(subject)).findFirst().orElse(null);
        if (match == null) {
            return "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '"
                    + issuer + "'. Assertion Subject: '" + subject + "'.";
        }
        // the external token's own lifetime: Kubernetes' projected tokens live an hour by default
        if (!payload.has("exp") || payload.get("exp").asLong() <= now.getEpochSecond()) {
            return "AADSTS700024: Client assertion is not within its valid time range.";
        }
        if (!jwt.signedBy(match.issuerKey)) {
            return "AADSTS700027: Client assertion failed signature validation.";
        }
        return null;
    }

    private static List<String> audiences(JsonNode payload) {
        JsonNode aud = payload.path("aud");
        if (aud.isArray()) {
            List<String> out = new java.util.ArrayList<>();
            aud.forEach(a -> out.add(a.asText()));
            return out;
        }
        return aud.isMissingNode() ? List.of() : List.of(aud.asText());
    }
}
