package org.mispsentinel.standin;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** A misbehaviour of the Sentinel upload API, scripted for the next upload request. */
public final class SentinelFault extends HttpFault {

    private SentinelFault(Kind kind, int status, String body, Map<String, String> headers, Duration delay) {
        super(kind, status, body, headers, delay);
    }

    /**
     * Any answer. A 429 scripted this way still sets the time before which a retry counts as early,
     * from its {@code Retry-After} header or else from the seconds in its message.
     */
    public static SentinelFault status(int code, String body, Map<String, String> headers) {
        return new SentinelFault(Kind.STATUS, code, Objects.requireNonNull(body, "body"), Map.copyOf(headers), null);
    }

    /** A 5xx with an ARM-style error body (500, 502, 503, 504). */
    public static SentinelFault serverError(int code) {
        String reason = switch (code) {
            case 502 -> "BadGateway";
            case 503 -> "ServiceUnavailable";
            case 504 -> "GatewayTimeout";
            default -> "InternalServerError";
        };
        return status(code, "{\"error\":{\"code\":\"" + reason + "\",\"message\":\"The service encountered an error.\"}}",
                Map.of());
    }

    /** Sentinel's documented 429; with {@code retryAfterHeader} false only the message gives the seconds. */
    public static SentinelFault throttled(int seconds, boolean retryAfterHeader) {
        return status(429, SentinelStandIn.throttleBody(seconds),
                retryAfterHeader ? Map.of("Retry-After", Integer.toString(seconds)) : Map.of());
    }

    /** What a missing Microsoft Sentinel Contributor role looks like. */
    public static SentinelFault forbidden() {
        return status(403, SentinelStandIn.forbiddenBody("00000000-0000-0000-0000-000000000000", "..."),
                SentinelStandIn.FORBIDDEN_HEADERS);
    }

    /** Waits, then answers normally; the wait ends early when the stand-in closes. */
    public static SentinelFault delay(Duration duration) {
        return new SentinelFault(Kind.DELAY, 0, null, Map.of(), Objects.requireNonNull(duration, "duration"));
    }

    /** Drops the connection without any response. */
    public static SentinelFault reset() {
        return new SentinelFault(Kind.RESET, 0, null, Map.of(), null);
    }
}
