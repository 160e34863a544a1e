package org.mispsentinel.sentinel;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.ManagedIdentityApplication;
import com.microsoft.aad.msal4j.ManagedIdentityId;
import com.microsoft.aad.msal4j.ManagedIdentityParameters;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.net.MalformedURLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.mispsentinel.config.ConfigurationException;
import org.mispsentinel.config.Credential;
import org.mispsentinel.config.Settings;
import org.mispsentinel.http.ProxySettings;
import org.mispsentinel.misp.LogLine;

/**
 * Tokens from msal4j: the app's client-credentials grant (secret, certificate or federated token),
 * or the managed identity of the resource the product runs on. The token is held here rather than
 * in msal4j's cache, because that cache misses whenever the authority has a port and its renewal
 * point (five minutes before expiry) cannot be changed; a token whose whole life is shorter than the
 * margin is renewed at half its life instead of on every request.
 */
public final class MsalTokenProvider implements TokenProvider {

    /** One token request to msal4j, built once for the credential. */
    @FunctionalInterface
    private interface TokenRequest {
        CompletableFuture<IAuthenticationResult> send() throws Exception;
    }

    private final Settings.Azure azure;
    private final TokenRequest request;
    private final Duration margin;
    private final Duration timeout;
    private final Clock clock;
    /** the app registration, whose latest tokens the log mask keeps */
    private final String identity;
    private String token;
    private Instant renewAt = Instant.MIN;
    private long acquired;

    public MsalTokenProvider(Settings.Azure azure, SSLContext ssl, ProxySettings proxy, Clock clock) {
        this.azure = azure;
        this.margin = azure.refreshMargin();
        this.timeout = azure.timeout();
        this.clock = clock;
        this.identity = azure.tenantId() + "/" + azure.clientId();
        this.request = azure.credential() == Credential.MANAGED_IDENTITY ? managedIdentity(azure, timeout)
                : confidentialClient(azure, ssl, proxy, timeout);
    }

    private static TokenRequest confidentialClient(Settings.Azure azure, SSLContext ssl, ProxySettings proxy,
                                                   Duration timeout) {
        ClientCredentialParameters parameters = ClientCredentialParameters.builder(Set.of(azure.scope()))
                .skipCache(true).build();
        IClientCredential credential = ClientCredentials.from(azure);
        String authority = azure.authorityHost() + "/" + azure.tenantId() + "/";
        try {
            ConfidentialClientApplication app = ConfidentialClientApplication.builder(azure.clientId(), credential)
                    .authority(authority)
                    .validateAuthority(false)
                    .instanceDiscovery(false)
                    .sslSocketFactory(ssl.getSocketFactory())
                    .proxy(proxy.javaProxyFor(java.net.URI.create(authority).getHost()))
                    .connectTimeoutForDefaultHttpClient((int) timeout.toMillis())
                    .readTimeoutForDefaultHttpClient((int) timeout.toMillis())
                    .build();
            return () -> app.acquireToken(parameters);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new ConfigurationException("azure.authority-host", "does not make a valid authority with "
                    + "azure.tenant-id");
        }
    }

    /**
     * msal4j finds the identity endpoint itself, from what the platform announces (App Service's
     * IDENTITY_ENDPOINT, Azure Arc's, Cloud Shell's MSI_ENDPOINT, else the VM's instance metadata
     * service). No proxy: those endpoints are on the host or link-local, never behind one.
     */
    private static TokenRequest managedIdentity(Settings.Azure azure, Duration timeout) {
        ManagedIdentityApplication app = ManagedIdentityApplication.builder(azure.managedIdentityClientId()
                        .map(ManagedIdentityId::userAssignedClientId).orElseGet(ManagedIdentityId::systemAssigned))
                // not even a JVM-wide http.proxyHost: a proxy cannot reach the host's own endpoint
                .proxy(java.net.Proxy.NO_PROXY)
                .connectTimeoutForDefaultHttpClient((int) timeout.toMillis())
                .readTimeoutForDefaultHttpClient((int) timeout.toMillis())
                .build();
        // a managed identity asks for a resource; msal4j's own shared cache is bypassed, as the token is held here
        ManagedIdentityParameters parameters = ManagedIdentityParameters.builder(resource(azure.scope()))
                .forceRefresh(true).build();
        return () -> app.acquireTokenForManagedIdentity(parameters);
    }

    /** The resource of a {@code <resource>/.default} scope. */
    static String resource(String scope) {
        return scope.endsWith("/.default") ? scope.substring(0, scope.length() - "/.default".length()) : scope;
    }

    @Override
    public synchronized String accessToken() {
        Instant now = clock.instant();
        if (token != null && now.isBefore(renewAt)) {
            return token;
        }
        IAuthenticationResult result = acquire();
        acquired++;
        Instant expires = result.expiresOnDate().toInstant();
        Duration life = Duration.between(now, expires);
        Duration early = life.compareTo(margin.multipliedBy(2)) < 0 ? life.dividedBy(2) : margin;
        token = result.accessToken();
        org.mispsentinel.config.Redaction.registerToken(identity, token);
        renewAt = expires.minus(early);
        return token;
    }

    @Override
    public synchronized void invalidate() {
        token = null;
        renewAt = Instant.MIN;
    }

    @Override
    public synchronized long tokensAcquired() {
        return acquired;
    }

    private IAuthenticationResult acquire() {
        try {
            return request.send().get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        } catch (TimeoutException e) {
            throw new SentinelUnavailableException(source() + " did not answer the token request in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SentinelUnavailableException("interrupted while waiting for a token");
        } catch (Exception e) {
            // msal4j may also fail before its future exists, e.g. while it asks for the client assertion
            throw translate(e);
        }
    }

    private String source() {
        return azure.credential() == Credential.MANAGED_IDENTITY ? "the managed identity endpoint" : "Entra ID";
    }

    private SentinelException translate(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof FederatedToken.Unreadable unreadable) {
                return new SentinelUnavailableException(unreadable.getMessage());
            }
        }
        if (azure.credential() == Credential.MANAGED_IDENTITY && cause instanceof MsalServiceException e
                && "managed_identity_unreachable_network".equals(e.errorCode())) {
            return new SentinelUnavailableException("the managed identity endpoint could not be reached for a token "
                    + "(does this Azure resource have a managed identity? else choose another azure.credential)");
        }
        if (azure.credential() == Credential.MANAGED_IDENTITY && cause instanceof MsalServiceException e) {
            // msal4j gives neither the HTTP status nor the endpoint's error code apart from its message
            return new SentinelUnavailableException("the managed identity endpoint gave no token to " + azure.who()
                    + " for " + resource(azure.scope()) + " (" + e.errorCode() + "): check that the identity is "
                    + "assigned to this resource and azure.managed-identity-client-id. It said: "
                    + LogLine.clip(firstLine(e.getMessage()), 300));
        }
        if (cause instanceof MsalServiceException e) {
            String what = LogLine.clip(firstLine(e.getMessage()), 300);
            int status = e.statusCode() == null ? 0 : e.statusCode();
            if (status == 400 || status == 401) {
                return new EntraRefusedException("Entra ID refused the client credentials ("
                        + e.errorCode() + "): check azure.client-id, azure.tenant-id and " + credentialSetting()
                        + ". Entra ID said: " + what, e.errorCode(), what);
            }
            return new SentinelUnavailableException("Entra ID token request failed (HTTP " + status + ": "
                    + what + ")");
        }
        String kind = cause == null ? "unknown error" : cause.getClass().getSimpleName();
        return new SentinelUnavailableException(source() + " could not be reached for a token (" + kind + ")");
    }

    private String credentialSetting() {
        return switch (azure.credential()) {
            case SECRET -> "azure.client-secret";
            case CERTIFICATE -> "azure.client-certificate-path";
            case WORKLOAD_IDENTITY -> "azure.federated-token-file (and the app's federated credential: issuer, "
                    + "subject, audience)";
            case MANAGED_IDENTITY -> "azure.managed-identity-client-id";
        };
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
