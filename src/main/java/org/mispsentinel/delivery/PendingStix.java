package org.mispsentinel.delivery;

import org.mispsentinel.stix.StixObject;

/**
 * A STIX object on its way to Sentinel (an indicator, or with the STIX objects API its context),
 * with the key of the attribute it was made from: the attribute counts as delivered once every
 * object made from it was accepted.
 */
public record PendingStix(String attributeKey, String attributeUuid, StixObject object) {
}
