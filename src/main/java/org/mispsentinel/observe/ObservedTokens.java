package org.mispsentinel.observe;

import org.mispsentinel.sentinel.TokenProvider;

/** Tells {@link Readiness} whether Entra ID handed out a token the last time one was needed. */
public final class ObservedTokens implements TokenProvider {

    private final TokenProvider tokens;
    private final Readiness readiness;

    public ObservedTokens(TokenProvider tokens, Readiness readiness) {
        this.tokens = tokens;
        this.readiness = readiness;
    }

    @Override
    public String accessToken() {
        try {
            String token = tokens.accessToken();
            readiness.tokenObtained();
            return token;
        } catch (RuntimeException e) {
            readiness.tokenFailed(e);
            throw e;
        }
    }

    @Override
    public void invalidate() {
        tokens.invalidate();
    }

    @Override
    public long tokensAcquired() {
        return tokens.tokensAcquired();
    }
}
