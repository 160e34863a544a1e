package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;

/**
 * Checks a certificate client's {@code client_assertion} the way Entra does, as far as a stand-in
 * needs: a three-part JWT naming the client as issuer and subject, not expired, and, when a
 * certificate was registered, signed by its key (RS256 or PS256, what msal4j uses).
 */
final class ClientAssertions {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private ClientAssertions() {
    }

    /** @return null when acceptable, else the AADSTS description of the problem */
    static String problem(String assertion, String clientId, PublicKey key, Instant now) {
        Jwt jwt = Jwt.parse(assertion);
        if (jwt == null) {
            return MALFORMED;
        }
        JsonNode payload = jwt.payload();
        if (!clientId.equals(payload.path("iss").asText()) || !clientId.equals(payload.path("sub").asText())) {
            return "AADSTS700023: Client assertion audience claim does not match Realm issuer, or iss/sub is not "
                    + "the client id.";
        }
        if (payload.has("exp") && payload.get("exp").asLong() <= now.getEpochSecond()) {
            return "AADSTS700024: Client assertion is not within its valid time range.";
        }
        if (key != null && !jwt.signedBy(key)) {
            return "AADSTS700027: Client assertion failed signature validation.";
        }
        return null;
    }

    static final String MALFORMED = "AADSTS50027: JWT token is invalid or malformed.";

    /** A JWT in its three parts, header and payload read; null from {@link #parse} when it is not one. */
    record Jwt(String[] parts, JsonNode header, JsonNode payload) {

        static Jwt parse(String assertion) {
            String[] parts = assertion.split("\\.", -1);
            if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
                return null;
            }
            try {
                return new Jwt(parts, Json.parse(Base64.getUrlDecoder().decode(parts[0])),
                        Json.parse(Base64.getUrlDecoder().decode(parts[1])));
            } catch (RuntimeException e) {
                return null;
            }
        }

        boolean signedBy(PublicKey key) {
            return signatureValid(header.path("alg").asText(), parts, key);
        }
    }

    /** The {@code iss} claim of a JWT, or null when it is not one. */
    static String issuer(String assertion) {
        Jwt jwt = Jwt.parse(assertion);
        return jwt == null ? null : jwt.payload().path("iss").asText(null);
    }

    static boolean signatureValid(String alg, String[] parts, PublicKey key) {
        try {
            Signature signature;
            switch (alg) {
                case "RS256" -> signature = Signature.getInstance("SHA256withRSA");
                case "PS256" -> {
                    signature = Signature.getInstance("RSASSA-PSS");
                    signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                }
                default -> {
                    return false;
                }
            }
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
