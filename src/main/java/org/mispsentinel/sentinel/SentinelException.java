package org.mispsentinel.sentinel;

/** Base of the failures the upload route distinguishes by class in its {@code onException} blocks. */
public abstract class SentinelException extends RuntimeException {

    protected SentinelException(String message) {
        super(message);
    }
}
