package org.mispsentinel.sentinel;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.protocol.HttpContext;

/** Adds Sentinel's bearer token on the wire only, so it never sits in a Camel message header. */
public final class BearerToken implements HttpRequestInterceptor {

    private final TokenProvider tokens;

    public BearerToken(TokenProvider tokens) {
        this.tokens = tokens;
    }

    @Override
    public void process(HttpRequest request, EntityDetails entity, HttpContext context) {
        request.setHeader("Authorization", "Bearer " + tokens.accessToken());
        request.setHeader("Content-Type", "application/json");
        request.setHeader("Accept", "application/json");
    }

    @Override
    public String toString() {
        return "BearerToken[****]";
    }
}
