package org.mispsentinel.delivery;

import org.mispsentinel.stix.StixIndicator;

/** An indicator on its way to Sentinel, with the key of the attribute it was made from. */
public record PendingIndicator(String attributeKey, String attributeUuid, StixIndicator indicator) {
}
