package org.mispsentinel.sentinel;

import java.time.Duration;

/** 429: retried after exactly the wait Sentinel named (sentinel-post waits it out before the retry). */
public class SentinelThrottledException extends SentinelException {

    private final Duration wait;
    private final String waitSource;

    public SentinelThrottledException(String message) {
        this(message, Duration.ZERO, "");
    }

    /**
     * @param wait        how long Sentinel asked to wait
     * @param waitSource  where that wait came from, for the log ("as Retry-After asks")
     */
    public SentinelThrottledException(String message, Duration wait, String waitSource) {
        super(message);
        this.wait = wait;
        this.waitSource = waitSource;
    }

    public Duration waitDuration() {
        return wait;
    }

    public String waitSource() {
        return waitSource;
    }
}
