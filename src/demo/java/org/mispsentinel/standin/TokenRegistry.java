package org.mispsentinel.standin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access tokens the Entra stand-in issued, shared with the Sentinel stand-in so that it can tell
 * a valid token from an unknown or expired one, as Azure's front end does.
 */
public final class TokenRegistry {

    public enum Status { VALID, EXPIRED, UNKNOWN }

    public record IssuedToken(String accessToken, String clientId, String scope, Instant issuedAt, Instant expiresAt) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final ConcurrentHashMap<String, IssuedToken> tokens = new ConcurrentHashMap<>();
    private final List<IssuedToken> issued = new ArrayList<>();

    public TokenRegistry() {
        this(Clock.systemUTC());
    }

    public TokenRegistry(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Clock clock() {
        return clock;
    }

    /** A random opaque token: the product must treat tokens as opaque, so they are not JWTs here. */
    public IssuedToken issue(String clientId, String scope, Duration lifetime) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "standin." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        IssuedToken issuedToken = new IssuedToken(token, clientId, scope, now, now.plus(lifetime));
        tokens.put(token, issuedToken);
        synchronized (issued) {
            issued.add(issuedToken);
        }
        return issuedToken;
    }

    public Status check(String accessToken) {
        IssuedToken token = accessToken == null ? null : tokens.get(accessToken);
        if (token == null) {
            return Status.UNKNOWN;
        }
        return clock.instant().isBefore(token.expiresAt()) ? Status.VALID : Status.EXPIRED;
    }

    public Optional<IssuedToken> find(String accessToken) {
        return Optional.ofNullable(accessToken == null ? null : tokens.get(accessToken));
    }

    /** Makes every token issued so far expired, to test renewal without waiting an hour. */
    public void expireAll() {
        Instant past = clock.instant().minusSeconds(1);
        tokens.replaceAll((key, token) -> new IssuedToken(token.accessToken(), token.clientId(), token.scope(),
                token.issuedAt(), past));
    }

    /** Forgets every token, so they all become unknown (as after a key rollover). */
    public void revokeAll() {
        tokens.clear();
    }

    public int issuedCount() {
        synchronized (issued) {
            return issued.size();
        }
    }

    public List<IssuedToken> issued() {
        synchronized (issued) {
            return List.copyOf(issued);
        }
    }
}
