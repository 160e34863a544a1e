package org.mispsentinel.delivery;

import org.apache.camel.Exchange;
import org.mispsentinel.misp.MispAttribute;

/**
 * A workspace's turn in the loops of the routes over the cycle's workspaces: what the steps after it
 * read for every attribute and indicator is put in exchange properties once per turn, where a plain
 * comparison reads it. A {@code method} expression or a property path such as
 * {@code ${exchangeProperty.workspace.name}} would call a bean on a copy of the exchange each time,
 * which was a third of what a sync cycle allocated (bench/README.md, issue 23).
 */
public final class WorkspaceTurn {

    /** What {@link #offer} decided: the attribute is delivered to the workspace. */
    public static final String DELIVER = "deliver";
    /** No detection, and nothing of it in the workspace's Sentinel: only counted. */
    public static final String NOT_DETECTION = "not-detection";
    /** It left the workspace's filter while its Sentinel holds indicators of it: they are revoked. */
    public static final String LEFT_FILTER = "left-filter";
    /** Not the workspace's, and nothing of it there. */
    public static final String NONE = "none";

    private final SyncCycle cycle;
    private final Withdrawals withdrawals;

    public WorkspaceTurn(SyncCycle cycle, Withdrawals withdrawals) {
        this.cycle = cycle;
        this.withdrawals = withdrawals;
    }

    /**
     * The loop's workspace: {@code workspace}, and for sentinel-batch, which reads them for every
     * indicator, {@code workspaceName} (its batches' correlation) and {@code batchSize}.
     */
    public void enter(Exchange exchange) {
        WorkspaceDelivery workspace = cycle.workspace(exchange.getProperty(Exchange.LOOP_INDEX, Integer.class));
        exchange.setProperty("workspace", workspace);
        exchange.setProperty("workspaceName", workspace.name());
        exchange.setProperty("batchSize", workspace.sentinel().batchSize());
    }

    /**
     * What the workspace does with the attribute in the body, in {@code offer} ({@link #DELIVER},
     * {@link #NOT_DETECTION}, {@link #LEFT_FILTER} or {@link #NONE}); for a delivery, its
     * {@code ledgerKey} and {@code inObject} (whether its MISP object is to be added).
     */
    public void offer(Exchange exchange) {
        WorkspaceDelivery workspace = exchange.getProperty("workspace", WorkspaceDelivery.class);
        MispAttribute attribute = exchange.getMessage().getBody(MispAttribute.class);
        String offer;
        if (workspace.wants(attribute)) {
            offer = withdrawals.nothingToRevoke(workspace, attribute) ? NOT_DETECTION : DELIVER;
        } else {
            offer = withdrawals.leftFilter(workspace, attribute) ? LEFT_FILTER : NONE;
        }
        exchange.setProperty("offer", offer);
        if (offer.equals(DELIVER)) {
            // keyed by timestamp and content: an attribute changed in MISP is delivered again
            exchange.setProperty("ledgerKey", attribute.deliveryKey());
            exchange.setProperty("inObject", attribute.inObject());
        }
    }
}
