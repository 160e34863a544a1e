package org.mispsentinel.sentinel;

/** 5xx, a rejected (expired) token, Entra ID unreachable: retried with exponential backoff. */
public class SentinelUnavailableException extends SentinelException {

    public SentinelUnavailableException(String message) {
        super(message);
    }
}
