package org.mispsentinel.sentinel;

import java.util.function.UnaryOperator;
import org.mispsentinel.config.Credential;
import org.mispsentinel.config.Settings;

/**
 * Whether Entra ID gives a workspace's app a token and, when it does not, which one of the
 * workspace's settings to fix: the secret, the certificate, the app, the tenant or the scope.
 */
public final class TokenProbe {

    private final TokenProvider tokens;
    private final Settings.Azure azure;
    private final UnaryOperator<String> named;

    /** @param named how a setting is called where it is set: the workspace's own key or the shared one */
    public TokenProbe(TokenProvider tokens, Settings.Azure azure, UnaryOperator<String> named) {
        this.tokens = tokens;
        this.azure = azure;
        this.named = named;
    }

    /**
     * @return what was obtained, in words
     * @throws SentinelException why there is no token: a refusal naming its setting, or Entra ID unreachable
     */
    public String probe() {
        try {
            tokens.accessToken();
        } catch (EntraRefusedException e) {
            throw new SentinelAccessDeniedException(refusal(e) + ". Entra ID said: " + e.said());
        }
        return (azure.credential() == Credential.MANAGED_IDENTITY ? "the managed identity endpoint issued a token to "
                : "Entra ID issued a token to ") + azure.who() + " for " + azure.scope() + " with " + credential();
    }

    /** Which credential was used, as {@code --check} names it: the setting and, for a file, the file. */
    private String credential() {
        String chosen = "credential " + azure.credential().setting;
        return switch (azure.credential()) {
            case SECRET -> chosen + " (" + named.apply("azure.client-secret") + ")";
            case CERTIFICATE -> chosen + " (" + named.apply("azure.client-certificate-path") + ": "
                    + azure.certificatePath().orElseThrow() + ")";
            case WORKLOAD_IDENTITY -> chosen + " (" + named.apply("azure.federated-token-file") + ": "
                    + azure.federatedTokenFile().orElseThrow() + ")";
            case MANAGED_IDENTITY -> chosen + azure.managedIdentityClientId()
                    .map(id -> " (user-assigned, " + named.apply("azure.managed-identity-client-id") + ")")
                    .orElse(" (system-assigned)");
        };
    }

    private String refusal(EntraRefusedException e) {
        String app = "app " + azure.clientId() + " in tenant " + azure.tenantId();
        if (e.error().equals("invalid_client") && azure.credential() == Credential.WORKLOAD_IDENTITY) {
            return "Entra ID refused the federated token of " + app + ": check " + named.apply("azure.federated-token-file")
                    + " and the app's federated credential (its issuer, subject and audience must match the token's)";
        }
        if (e.error().equals("invalid_client")) {
            return azure.clientSecret().isPresent()
                    ? "Entra ID refused the client secret of " + app + ": check " + named.apply("azure.client-secret")
                            + " (the secret's value, not its id; secrets expire)"
                    : "Entra ID refused the certificate of " + app + ": check " + named.apply("azure.client-certificate-path")
                            + " (the certificate must be uploaded to the app registration)";
        }
        if (e.error().equals("unauthorized_client")) {
            return "Entra ID has no " + app + ": check " + named.apply("azure.client-id") + " and "
                    + named.apply("azure.tenant-id");
        }
        if (e.error().equals("invalid_scope")) {
            return "Entra ID issues app " + azure.clientId() + " no token for " + azure.scope() + ": check "
                    + named.apply("azure.scope");
        }
        if (e.aadsts().equals("AADSTS90002")) {
            return "Entra ID at " + azure.authorityHost() + " does not know tenant " + azure.tenantId() + ": check "
                    + named.apply("azure.tenant-id") + " and " + named.apply("azure.cloud");
        }
        return "Entra ID refused the token request of " + app + " (" + e.error() + "): check "
                + named.apply("azure.client-id") + ", " + named.apply("azure.tenant-id") + " and "
                + named.apply(azure.credential().source == null ? "azure.credential" : azure.credential().source);
    }
}
