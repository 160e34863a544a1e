package org.mispsentinel.standin;

/**
 * How a throttled Sentinel answer tells the wait. Microsoft documents only the message, so the
 * product must work with both.
 */
public enum RetryAfterMode {
    /** {@code Retry-After} header and the seconds in the message. */
    HEADER,
    /** Only "Try again in N seconds." in the message. */
    MESSAGE
}
