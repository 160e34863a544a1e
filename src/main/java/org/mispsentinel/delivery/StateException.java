package org.mispsentinel.delivery;

/** The state under STATE_DIR cannot be used; the message says why and what to do. */
public class StateException extends RuntimeException {

    public StateException(String message) {
        super(message);
    }
}
