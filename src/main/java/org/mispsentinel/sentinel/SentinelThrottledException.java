package org.mispsentinel.sentinel;

/** 429: retried after exactly the wait Sentinel named (the route sets it as the redelivery delay). */
public class SentinelThrottledException extends SentinelException {

    public SentinelThrottledException(String message) {
        super(message);
    }
}
