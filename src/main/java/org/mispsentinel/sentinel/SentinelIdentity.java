package org.mispsentinel.sentinel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.mispsentinel.config.Settings;

/**
 * One app registration (or managed identity) as Sentinel sees it. Sentinel's request limit is per
 * calling identity, so every workspace uploaded to under it shares one token, one request budget and
 * one wait after a 429; two workspaces under one app registration never add up to twice the limit.
 *
 * @param key               tells identities apart (authority, tenant, client id); the throttle's correlation key
 * @param httpClient        the registry name of the HTTP client that sends its token
 * @param requestsPerMinute the smallest budget among the workspaces that share it
 */
public record SentinelIdentity(String key, String clientId, TokenProvider tokens, String httpClient,
                               int requestsPerMinute, Pace pace) {

    public SentinelIdentity(String key, String clientId, TokenProvider tokens, String httpClient, int requestsPerMinute) {
        this(key, clientId, tokens, httpClient, requestsPerMinute, new Pace());
    }

    /**
     * One identity per app registration or managed identity among {@code workspaces}, by
     * {@link Settings.Workspace#identity}, in their order, each at the smallest {@code sentinel.requests-per-minute} of the workspaces that
     * share it. Each HTTP client is named for the registry: {@code sentinelHttpClient}, then
     * {@code sentinelHttpClient-2}, ...
     *
     * @param tokens the token provider of a workspace's app, asked once per identity
     */
    public static Map<String, SentinelIdentity> of(List<Settings.Workspace> workspaces,
                                                   Function<Settings.Workspace, TokenProvider> tokens) {
        Map<String, SentinelIdentity> identities = new LinkedHashMap<>();
        for (Settings.Workspace workspace : workspaces) {
            String key = workspace.identity();
            int budget = workspace.sentinel().requestsPerMinute();
            SentinelIdentity known = identities.get(key);
            identities.put(key, known != null
                    ? new SentinelIdentity(key, known.clientId, known.tokens, known.httpClient,
                            Math.min(budget, known.requestsPerMinute), known.pace)
                    : new SentinelIdentity(key, workspace.azure() == null ? "(none)" : workspace.azure().clientId(),
                            tokens.apply(workspace), identities.isEmpty() ? "sentinelHttpClient"
                            : "sentinelHttpClient-" + (identities.size() + 1), budget));
        }
        return identities;
    }

    /** What the last answers told about this identity: when it may ask again, and refused tokens in a row. */
    public static final class Pace {
        private volatile long notBeforeMillis;
        private final AtomicInteger consecutiveUnauthorized = new AtomicInteger();

        long notBeforeMillis() {
            return notBeforeMillis;
        }

        void notBefore(long millis) {
            notBeforeMillis = Math.max(notBeforeMillis, millis);
        }

        int unauthorized() {
            return consecutiveUnauthorized.incrementAndGet();
        }

        void authorized() {
            consecutiveUnauthorized.set(0);
        }
    }
}
