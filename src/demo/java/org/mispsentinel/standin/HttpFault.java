package org.mispsentinel.standin;

import java.time.Duration;
import java.util.Map;

/**
 * A scripted answer of an Entra ID or Sentinel stand-in: a status with a body and headers, a wait
 * before the normal answer, or a dropped connection.
 */
abstract class HttpFault {

    enum Kind { STATUS, DELAY, RESET }

    final Kind kind;
    final int status;
    final String body;
    final Map<String, String> headers;
    final Duration delay;

    HttpFault(Kind kind, int status, String body, Map<String, String> headers, Duration delay) {
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.headers = headers;
        this.delay = delay;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + kind + (status > 0 ? " " + status : "")
                + (delay != null ? " " + delay : "") + "]";
    }
}
