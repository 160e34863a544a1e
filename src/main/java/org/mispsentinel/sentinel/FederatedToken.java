package org.mispsentinel.sentinel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mispsentinel.config.ConfigurationException;
import org.mispsentinel.config.Redaction;

/**
 * The client assertion of workload identity federation: the signed token a platform writes to a
 * file for the app's federated credential. Kubernetes replaces the file before the token in it
 * expires (the projected service-account token), so it is read again for every token request,
 * never kept.
 */
final class FederatedToken {

    static final String SETTING = "azure.federated-token-file";

    private FederatedToken() {
    }

    /** @throws Unreadable naming the setting and the file, never the file's content */
    static String read(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("the federated token file " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "): check " + ConfigurationException.describe(SETTING));
        }
        if (token.isEmpty()) {
            throw new Unreadable("the federated token file " + file + " is empty: check "
                    + ConfigurationException.describe(SETTING));
        }
        // the token is a credential for as long as it lives: logs must never show it (the latest few of each file)
        Redaction.registerToken("federated-token-file " + file, token);
        return token;
    }

    /** The federated token file could not give a token; msal4j passes it on as the cause of its failure. */
    static final class Unreadable extends RuntimeException {

        Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
