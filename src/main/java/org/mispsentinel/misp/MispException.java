package org.mispsentinel.misp;

/**
 * MISP could not be read. {@code retryable} failures (5xx, 429, I/O, a page that did not parse)
 * are tried again by the route's redelivery policy; the others (a refused key, a rejected filter)
 * end the cycle at once because repeating them cannot help.
 */
public class MispException extends RuntimeException {

    private final boolean retryable;

    public MispException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
