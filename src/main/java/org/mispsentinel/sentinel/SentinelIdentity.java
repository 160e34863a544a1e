package org.mispsentinel.sentinel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One app registration as Sentinel sees it. Sentinel's request limit is per calling identity, so
 * every workspace uploaded to under it shares one token, one request budget and one wait after a
 * 429; two workspaces under one app registration never add up to twice the limit.
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

    /** The same identity with a budget no larger than {@code requestsPerMinute}. */
    public SentinelIdentity sharedWith(int requestsPerMinute) {
        return new SentinelIdentity(key, clientId, tokens, httpClient, Math.min(requestsPerMinute, this.requestsPerMinute),
                pace);
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
