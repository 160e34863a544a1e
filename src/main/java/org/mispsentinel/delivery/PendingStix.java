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

    private static final String HELD_BACK = "context/";

    private final String attributeKey;
    private final String attributeUuid;
    private final String attribute;
    private final StixObject object;
    private volatile boolean refused;

    /**
     * @param attribute the attribute's {@link org.mispsentinel.misp.MispAttribute#stableKey}, kept with a
     *                  dead letter so that a replay Sentinel accepts enters the inventory; null when unknown
     *                  (a dead letter written before it was kept)
     */
    public PendingStix(String attributeKey, String attributeUuid, String attribute, StixObject object) {
        this.attributeKey = attributeKey;
        this.attributeUuid = attributeUuid;
        this.attribute = attribute;
        this.object = object;
    }

    /**
     * Context that waited for the indicators of a cycle (sentinel.context=after-indicators): made from
     * no attribute in flight, so its key is the ledger's to pass over.
     */
    static PendingStix heldBack(StixObject object) {
        return new PendingStix(HELD_BACK + object.id(), null, null, object);
    }

    /** True for context that waited for the indicators of a cycle. */
    boolean wasHeldBack() {
        return attributeUuid == null && attributeKey.startsWith(HELD_BACK);
    }

    public String attributeKey() {
        return attributeKey;
    }

    public String attributeUuid() {
        return attributeUuid;
    }

    /** The attribute's stable key, or null when unknown. */
    public String attribute() {
        return attribute;
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
