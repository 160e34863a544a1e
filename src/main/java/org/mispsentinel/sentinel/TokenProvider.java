package org.mispsentinel.sentinel;

/** An Entra ID access token for Sentinel, reused until shortly before it expires. */
public interface TokenProvider {

    String accessToken();

    /** Forgets the current token, after Sentinel refused it. */
    void invalidate();

    /** How many tokens were requested from Entra ID so far. */
    long tokensAcquired();
}
