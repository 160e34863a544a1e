package org.mispsentinel.delivery;

import org.mispsentinel.misp.MispAttribute;

/**
 * Tells the route which attributes MISP no longer counts as detections (deleted, or {@code to_ids}
 * cleared) can simply be passed over: those Sentinel holds nothing of. The others go on to be
 * revoked, like any delivery: confirmed only once Sentinel accepted the revocation.
 */
public final class Withdrawals {

    /**
     * True when the workspace's filter does not take the attribute (see {@link WorkspaceDelivery#wants})
     * but its Sentinel holds indicators of it: it left the filter (its event was marked above the
     * workspace's TLP ceiling, a tag changed), so they go out revoked there.
     */
    public boolean leftFilter(WorkspaceDelivery workspace, MispAttribute attribute) {
        return !workspace.uploadsStopped() && workspace.sentinel().revokeWithdrawn()
                && workspace.ledger().isLive(attribute.stableKey());
    }

    /** The key of the revocation of an attribute that left the filter: apart from its delivery's, which Sentinel has. */
    public String key(MispAttribute attribute) {
        return "left-filter/" + attribute.deliveryKey();
    }

    /** True when the attribute is no detection and there is nothing in the workspace's Sentinel to revoke for it. */
    public boolean nothingToRevoke(WorkspaceDelivery workspace, MispAttribute attribute) {
        return attribute.withdrawn()
                && !(workspace.sentinel().revokeWithdrawn() && workspace.ledger().isLive(attribute.stableKey()));
    }
}
