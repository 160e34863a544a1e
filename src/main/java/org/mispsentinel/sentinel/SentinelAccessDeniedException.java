package org.mispsentinel.sentinel;

/**
 * Retrying cannot help (wrong credentials, missing role, unknown workspace): the cycle stops and
 * the message says what to fix.
 */
public class SentinelAccessDeniedException extends SentinelException {

    public SentinelAccessDeniedException(String message) {
        super(message);
    }
}
