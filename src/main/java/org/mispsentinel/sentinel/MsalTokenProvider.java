package org.mispsentinel.sentinel;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.net.MalformedURLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.mispsentinel.config.ConfigurationException;
import org.mispsentinel.config.Settings;
import org.mispsentinel.http.ProxySettings;
import org.mispsentinel.misp.LogLine;

/**
 * Client-credentials tokens from msal4j. The token is held here rather than in msal4j's cache,
 * because that cache misses whenever the authority has a port and its renewal point (five minutes
 * before expiry) cannot be changed; a token whose whole life is shorter than the margin is renewed
 * at half its life instead of on every request.
 */
public final class MsalTokenProvider implements TokenProvider {

    private final ConfidentialClientApplication app;
    private final ClientCredentialParameters parameters;
    private final Duration margin;
    private final Duration timeout;
    private final Clock clock;
    /** the app registration, whose latest tokens the log mask keeps */
    private final String identity;
    private String token;
    private Instant renewAt = Instant.MIN;
    private long acquired;

    public MsalTokenProvider(Settings.Azure azure, SSLContext ssl, ProxySettings proxy, Clock clock) {
        this.margin = azure.refreshMargin();
        this.timeout = azure.timeout();
        this.clock = clock;
        this.identity = azure.tenantId() + "/" + azure.clientId();
        this.parameters = ClientCredentialParameters.builder(Set.of(azure.scope())).skipCache(true).build();
        IClientCredential credential = ClientCredentials.from(azure);
        String authority = azure.authorityHost() + "/" + azure.tenantId() + "/";
        try {
            this.app = ConfidentialClientApplication.builder(azure.clientId(), credential)
                    .authority(authority)
                    .validateAuthority(false)
                    .instanceDiscovery(false)
                    .sslSocketFactory(ssl.getSocketFactory())
                    .proxy(proxy.javaProxyFor(java.net.URI.create(authority).getHost()))
                    .connectTimeoutForDefaultHttpClient((int) timeout.toMillis())
                    .readTimeoutForDefaultHttpClient((int) timeout.toMillis())
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new ConfigurationException("azure.authority-host", "does not make a valid authority with "
                    + "azure.tenant-id");
        }
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
            return app.acquireToken(parameters).get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        } catch (TimeoutException e) {
            throw new SentinelUnavailableException("Entra ID did not answer the token request in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SentinelUnavailableException("interrupted while waiting for a token");
        }
    }

    private static SentinelException translate(Throwable cause) {
        if (cause instanceof MsalServiceException e) {
            String what = LogLine.clip(firstLine(e.getMessage()), 300);
            if (e.statusCode() == 400 || e.statusCode() == 401) {
                return new EntraRefusedException("Entra ID refused the client credentials ("
                        + e.errorCode() + "): check azure.client-id, azure.tenant-id and azure.client-secret or "
                        + "azure.client-certificate-path. Entra ID said: " + what, e.errorCode(), what);
            }
            return new SentinelUnavailableException("Entra ID token request failed (HTTP " + e.statusCode() + ": "
                    + what + ")");
        }
        String kind = cause == null ? "unknown error" : cause.getClass().getSimpleName();
        return new SentinelUnavailableException("Entra ID could not be reached for a token (" + kind + ")");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
