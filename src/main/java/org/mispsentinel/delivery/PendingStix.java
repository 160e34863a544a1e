package org.mispsentinel.delivery;

import org.mispsentinel.stix.StixObject;

/**
 * A STIX object on its way to Sentinel (an indicator, or with the STIX objects API its context),
 * with the key of the attribute it was made from: the attribute counts as delivered once every
 * object made from it was accepted or refused on the record.
 *
 * <p>Which of the two it was is marked here by the dead-letter file, so that the ledger's inventory
 * counts only what Sentinel took: the settlement hands the ledger keys, not objects.
 */
public final class PendingStix {

    private final String attributeKey;
    private final String attributeUuid;
    private final StixObject object;
    private volatile boolean refused;

    public PendingStix(String attributeKey, String attributeUuid, StixObject object) {
        this.attributeKey = attributeKey;
        this.attributeUuid = attributeUuid;
        this.object = object;
    }

    public String attributeKey() {
        return attributeKey;
    }

    public String attributeUuid() {
        return attributeUuid;
    }

    public StixObject object() {
        return object;
    }

    /** Sentinel refused it on the record: it went to the dead-letter file, not into Sentinel. */
    void refused() {
        refused = true;
    }

    boolean wasRefused() {
        return refused;
    }

    @Override
    public String toString() {
        return "PendingStix[" + attributeKey + ", " + object.id() + "]";
    }
}
