package org.mispsentinel.delivery;

import org.mispsentinel.misp.MispAttribute;

/**
 * Tells the route which attributes MISP no longer counts as detections (deleted, or {@code to_ids}
 * cleared) can simply be passed over: those Sentinel holds nothing of. The others go on to be
 * revoked, like any delivery: confirmed only once Sentinel accepted the revocation.
 */
public final class Withdrawals {

    /** True when the attribute is no detection and there is nothing in the workspace's Sentinel to revoke for it. */
    public boolean nothingToRevoke(WorkspaceDelivery workspace, MispAttribute attribute) {
        return attribute.withdrawn()
                && !(workspace.sentinel().revokeWithdrawn() && workspace.ledger().isLive(attribute.stableKey()));
    }
}
