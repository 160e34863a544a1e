package org.mispsentinel.misp;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.mispsentinel.config.Secret;

/**
 * Adds the MISP API key on the wire only (MISP wants the raw key in {@code Authorization}), so it
 * never sits in a Camel message header.
 */
public final class MispApiKey implements HttpRequestInterceptor {

    private final Secret key;

    public MispApiKey(Secret key) {
        this.key = key;
    }

    @Override
    public void process(HttpRequest request, EntityDetails entity, HttpContext context) {
        request.setHeader("Authorization", key.reveal());
        request.setHeader("Content-Type", "application/json");
        request.setHeader("Accept", "application/json");
    }

    @Override
    public String toString() {
        return "MispApiKey[****]";
    }
}
