package org.mispsentinel.standin;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** A misbehaviour of Entra ID, scripted for the next token request. */
public final class EntraFault extends HttpFault {

    private EntraFault(Kind kind, int status, String body, Map<String, String> headers, Duration delay) {
        super(kind, status, body, headers, delay);
    }

    public static EntraFault status(int code, String body, Map<String, String> headers) {
        return new EntraFault(Kind.STATUS, code, Objects.requireNonNull(body, "body"), Map.copyOf(headers), null);
    }

    /** Entra's answer during an incident: 503 with a transient AADSTS error. */
    public static EntraFault unavailable() {
        return status(503, "{\"error\":\"temporarily_unavailable\",\"error_description\":\"AADSTS90033: A transient "
                + "error has occurred. Please try again.\",\"error_codes\":[90033]}", Map.of("Retry-After", "1"));
    }

    /** Waits, then answers normally; the wait ends early when the stand-in closes. */
    public static EntraFault delay(Duration duration) {
        return new EntraFault(Kind.DELAY, 0, null, Map.of(), Objects.requireNonNull(duration, "duration"));
    }

    /** Drops the connection without any response. */
    public static EntraFault reset() {
        return new EntraFault(Kind.RESET, 0, null, Map.of(), null);
    }
}
