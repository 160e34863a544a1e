package org.mispsentinel.delivery;

/**
 * Another instance took the workspace while this one still held its store: nothing of this commit
 * was kept, the new owner resumes from the committed state, and this store takes no further writes.
 */
public class OwnershipLostException extends StateException {

    public OwnershipLostException(String message) {
        super(message);
    }
}
