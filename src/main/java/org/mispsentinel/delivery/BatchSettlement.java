package org.mispsentinel.delivery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.mispsentinel.http.TlsFailure;
import org.mispsentinel.misp.LogLine;
import org.mispsentinel.sentinel.SentinelAccessDeniedException;
import org.mispsentinel.sentinel.SentinelUnavailableException;
import org.mispsentinel.sentinel.UploadOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a batch once Sentinel has answered: accepted records are committed, refused ones
 * go to the dead-letter file, and a batch that could not be delivered releases its keys so the
 * next cycle sends it again.
 */
public final class BatchSettlement {

    private static final Logger LOG = LoggerFactory.getLogger(BatchSettlement.class);

    private final SyncCycle cycle;

    public BatchSettlement(SyncCycle cycle) {
        this.cycle = cycle;
    }

    public void accepted(WorkspaceDelivery workspace, List<PendingStix> batch, UploadOutcome outcome) {
        Map<Integer, String> errors = outcome.rejected();
        String doubt = outcome.unknown() != null ? outcome.unknown()
                : errors.keySet().stream().anyMatch(i -> i < 0 || i >= batch.size())
                ? "Sentinel reported record errors for indexes outside the batch of " + batch.size() + ": "
                  + LogLine.clip(errors.keySet().toString(), 200)
                : null;
        if (doubt != null) {
            // which records Sentinel kept is not known: all of them are sent again, none counts as delivered
            release(workspace, batch, doubt + "; the outcome of the batch is unknown");
            return;
        }
        List<String> accepted = new ArrayList<>(batch.size());
        List<PendingStix> acceptedStix = new ArrayList<>(batch.size());
        List<PendingStix> rejected = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            String error = errors.get(i);
            if (error == null) {
                accepted.add(batch.get(i).attributeKey());
                acceptedStix.add(batch.get(i));
            } else {
                rejected.add(batch.get(i));
                reasons.add(error);
            }
        }
        deadLetter(workspace, rejected, reasons);
        // before the ledger's commit, which then covers what Sentinel now holds of the context too
        workspace.heldContext().settled(acceptedStix, rejected);
        settleDeadLettered(workspace, accepted, rejected);
        if (cycle.replaying()) {
            // a replay's entries are not in flight (no MISP read brought them): recorded as Sentinel holds them
            workspace.ledger().replayAccepted(acceptedStix);
        }
        CycleStats stats = workspace.stats();
        stats.batch();
        int context = 0;
        int heldBack = 0;
        for (PendingStix p : acceptedStix) {
            context += "indicator".equals(p.object().type()) ? 0 : 1;
            heldBack += p.wasHeldBack() ? 1 : 0;
        }
        stats.delivered(accepted.size() - heldBack);
        stats.context(context);
    }

    /**
     * The batch was not delivered. Whatever the cause (an outage after its retries, a refused role,
     * a wrong host), the next batches would meet it too: the cycle sends nothing more, and every
     * batch still to come is released for the next cycle, so an outage costs one retry budget.
     */
    public void failed(WorkspaceDelivery workspace, List<PendingStix> batch, Exception cause) {
        String message = cause == null ? "unknown failure"
                : LogLine.clip(TlsFailure.explain(cause, "Sentinel").orElse(cause.getMessage()), 500);
        if (cause instanceof OwnershipLostException) {
            // fenced: another instance owns the workspace and sends this batch from its own read
            LOG.warn("{}batch of {} indicators abandoned: {}", workspace.label(), batch.size(), message);
            workspace.ownershipLost();
            abandon(workspace, batch);
            return;
        }
        if (workspace.uploadsStopped()) {
            if (!workspace.ownedInCycle()) {
                abandon(workspace, batch);
            } else {
                release(workspace, batch, null);
            }
            return;
        }
        release(workspace, batch, message);
        cycle.stopUploads(workspace, cause instanceof SentinelAccessDeniedException ? cause
                : new SentinelUnavailableException("Sentinel did not take a batch of " + batch.size() + " ("
                        + message + "); nothing more is sent in this cycle and the rest waits for the next one"));
    }

    /**
     * The workspace's uploads are stuck (the end of the cycle waited too long for them): nothing more
     * is sent for it in this cycle; its batches, including the one in flight at its next attempt, are
     * released for the next cycle, and its checkpoint stays.
     */
    public void stalled(WorkspaceDelivery workspace, Exception cause) {
        cycle.stopUploads(workspace, cause);
    }

    /**
     * A batch of a workspace this instance no longer owns: its keys leave the in-flight marks (kept
     * in memory), nothing is committed, and it counts as neither delivered nor failed here.
     */
    private void abandon(WorkspaceDelivery workspace, List<PendingStix> batch) {
        workspace.ledger().settle(List.of(), keys(batch));
    }

    /** Not delivered, so sent again: by the next cycle, or for a replay by the next replay. */
    private void release(WorkspaceDelivery workspace, List<PendingStix> batch, String why) {
        workspace.heldContext().released(batch);
        workspace.ledger().settle(List.of(), keys(batch));
        if (cycle.replaying()) {
            // MISP will not send these again: the dead-letter file is the only copy
            workspace.deadLetters().append(batch, Collections.nCopies(batch.size(),
                    "not delivered during replay: " + (why == null ? "the replay stopped earlier" : why)));
        }
        CycleStats stats = workspace.stats();
        stats.batch();
        stats.failed(batch.size());
        if (why != null) {
            LOG.error("{}batch of {} indicators not delivered: {}; they are sent again {}", workspace.label(),
                    batch.size(), why,
                    cycle.replaying() ? "by the next replay" : "next cycle");
        }
    }

    /**
     * Sentinel refused a whole batch (400/413). Halves are tried on their own, down to the single
     * indicator it objects to, which goes to the dead-letter file: one bad record must not hold
     * back the 99 others.
     */
    public List<List<PendingStix>> bisect(WorkspaceDelivery workspace, List<PendingStix> batch, UploadOutcome outcome) {
        if (batch.size() <= 1) {
            deadLetter(workspace, batch, List.of(LogLine.clip(outcome.wholeBatchError(), 500)));
            workspace.heldContext().settled(List.of(), batch);
            settleDeadLettered(workspace, List.of(), batch);
            workspace.stats().batch();
            return List.of();
        }
        int half = batch.size() / 2;
        return List.of(List.copyOf(batch.subList(0, half)), List.copyOf(batch.subList(half, batch.size())));
    }

    /** A dry run settles nothing: a later real run must still send all of it. */
    public void notSent(WorkspaceDelivery workspace, List<PendingStix> batch) {
        workspace.heldContext().released(batch);
        workspace.ledger().settle(List.of(), keys(batch));
        workspace.stats().batch();
    }

    /**
     * A dead letter is settled: sending it again each cycle would only write it to the file again
     * ({@code --replay-dead-letters} is the way back). Its attribute counts as held by Sentinel, so
     * that a withdrawal in MISP revokes it, its accepted siblings, and what a replay got accepted.
     */
    private void settleDeadLettered(WorkspaceDelivery workspace, List<String> accepted, List<PendingStix> deadLettered) {
        List<String> settled = new ArrayList<>(accepted);
        settled.addAll(keys(deadLettered));
        workspace.ledger().settle(settled, List.of());
    }

    private void deadLetter(WorkspaceDelivery workspace, List<PendingStix> rejected, List<String> reasons) {
        if (rejected.isEmpty()) {
            return;
        }
        List<String> all = reasons.size() == rejected.size() ? reasons
                : Collections.nCopies(rejected.size(), reasons.get(0));
        workspace.deadLetters().append(rejected, all);
        for (int i = 0; i < rejected.size(); i++) {
            LOG.warn("{}Sentinel rejected {} (attribute {}): {}; written to {}", workspace.label(),
                    rejected.get(i).object().id(), rejected.get(i).attributeUuid(), all.get(i),
                    workspace.deadLetters().where());
        }
        workspace.stats().deadLettered(rejected.size());
    }

    private static List<String> keys(List<PendingStix> batch) {
        List<String> keys = new ArrayList<>(batch.size());
        for (PendingStix p : batch) {
            keys.add(p.attributeKey());
        }
        return keys;
    }
}
