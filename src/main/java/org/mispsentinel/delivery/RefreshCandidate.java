package org.mispsentinel.delivery;

/**
 * An indicator Sentinel holds whose valid_until is near: the attribute to ask MISP for and send again.
 *
 * @param holder        the inventory entry it comes from, to hand back to {@link DeliveryLedger#leaveToExpire}
 * @param stableKey     the attribute's {@link org.mispsentinel.misp.MispAttribute#stableKey}
 * @param attributeUuid what MISP's restSearch is asked for ({@link org.mispsentinel.misp.MispQuery#byUuids})
 * @param validUntil    the valid_until that brought it up, epoch seconds
 */
public record RefreshCandidate(String holder, String stableKey, String attributeUuid, long validUntil) {
}
