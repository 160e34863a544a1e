package org.mispsentinel.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * An OIDC issuer as Kubernetes' service-account issuer plays it for workload identity: it signs a
 * token about one service account for the audience {@code api://AzureADTokenExchange} and writes it
 * to the file the pod reads (AZURE_FEDERATED_TOKEN_FILE), replacing it as the kubelet rotates it.
 */
final class FederatedTokens {

    static final String ISSUER = "https://oidc.aks.example.test/issuer-1/";
    static final String SUBJECT = "system:serviceaccount:threat-intel:misp-sentinel";

    private final KeyPair keys;

    FederatedTokens() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    PublicKey publicKey() {
        return keys.getPublic();
    }

    /** A token of {@link #ISSUER} about {@link #SUBJECT}, valid until {@code expires}. */
    String token(Instant expires) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + SUBJECT
                + "\",\"aud\":[\"api://AzureADTokenExchange\"],\"iat\":" + expires.minusSeconds(3600).getEpochSecond()
                + ",\"exp\":" + expires.getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces {@code file} at once, as the kubelet swaps a projected volume's content. */
    static Path write(Path file, String token) {
        try {
            Path partial = file.resolveSibling(file.getFileName() + ".new");
            Files.writeString(partial, token, StandardCharsets.US_ASCII);
            return Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
