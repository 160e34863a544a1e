package org.mispsentinel.standin;

import java.time.Duration;
import java.util.Objects;

/** A misbehaviour of MISP, scripted for the next request to {@code /attributes/restSearch}. */
public final class MispFault {

    enum Kind { STATUS, MALFORMED_JSON, EMPTY_PAGE, DELAY, RESET }

    final Kind kind;
    final int status;
    final String body;
    final String contentType;
    final Duration delay;

    private MispFault(Kind kind, int status, String body, String contentType, Duration delay) {
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.contentType = contentType;
        this.delay = delay;
    }

    /** Any answer, e.g. a 500 with MISP's JSON error or a 200 carrying a proxy's HTML page. */
    public static MispFault status(int code, String body, String contentType) {
        return new MispFault(Kind.STATUS, code, Objects.requireNonNull(body, "body"), contentType, null);
    }

    /** MISP's own shape for an internal error. */
    public static MispFault serverError() {
        return status(500, "{\"name\":\"An Internal Error Has Occurred.\",\"message\":\"An Internal Error Has Occurred.\","
                + "\"url\":\"/attributes/restSearch\"}", "application/json");
    }

    /** What a misconfigured reverse proxy or a login redirect returns: 200 and not JSON at all. */
    public static MispFault htmlPage() {
        return status(200, "<!DOCTYPE html><html><head><title>Login</title></head><body><h1>Please log in</h1></body></html>",
                "text/html; charset=UTF-8");
    }

    /** 200 with JSON cut off mid-attribute, as when a PHP worker dies while writing. */
    public static MispFault malformedJson() {
        return new MispFault(Kind.MALFORMED_JSON, 200, null, null, null);
    }

    /** 200 with no attributes, while {@code X-Result-Count} still gives the real total. */
    public static MispFault emptyPage() {
        return new MispFault(Kind.EMPTY_PAGE, 200, null, null, null);
    }

    /** Waits, then answers normally; the wait ends early when the stand-in closes. */
    public static MispFault delay(Duration duration) {
        return new MispFault(Kind.DELAY, 0, null, null, Objects.requireNonNull(duration, "duration"));
    }

    /** Drops the connection without any response. */
    public static MispFault reset() {
        return new MispFault(Kind.RESET, 0, null, null, null);
    }

    @Override
    public String toString() {
        return "MispFault[" + kind + (status > 0 ? " " + status : "") + (delay != null ? " " + delay : "") + "]";
    }
}
