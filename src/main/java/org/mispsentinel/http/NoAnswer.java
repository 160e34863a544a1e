package org.mispsentinel.http;

import java.io.IOException;

/** Why a request got no answer at all, in words that point at the setting to look at. */
public final class NoAnswer {

    private NoAnswer() {
    }

    /** TLS guidance where the handshake failed, else what kept the connection from being made or answered. */
    public static String explain(IOException failure, String server, String url) {
        return TlsFailure.explain(failure, server).orElseGet(() -> "cannot connect to " + server + " at " + url + " ("
                + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")");
    }
}
