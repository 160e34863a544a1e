package org.mispsentinel.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.mispsentinel.sentinel.SentinelUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each completed batch to the upload thread of its workspace, which runs
 * {@code direct:sentinel-upload} for it while the poll thread goes on reading MISP.
 *
 * <p>A full queue makes the poll thread wait: a slow Sentinel slows MISP reading down instead of
 * letting batches pile up in memory. With several workspaces the wait is bounded
 * ({@code sentinel.max-queue-wait-seconds}): a workspace whose uploads have not moved for that
 * long (an outage, a long 429) must not hold the others back, so the rest of its share of the
 * cycle is released and sent next cycle.
 */
public final class Uploads {

    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);
    private static final String UPLOAD = "direct:sentinel-upload";

    private final UploadQueue handOver;
    private final List<WorkspaceDelivery> workspaces;
    private final BatchSettlement settlement;
    /** null: wait as long as it takes */
    private final Duration maxQueueWait;
    private volatile ProducerTemplate template;

    /** @param handOver the aggregator's thread, on which {@link #handOver} runs */
    public Uploads(UploadQueue handOver, List<WorkspaceDelivery> workspaces, BatchSettlement settlement,
                   Duration maxQueueWait) {
        this.handOver = handOver;
        this.workspaces = workspaces;
        this.settlement = settlement;
        this.maxQueueWait = maxQueueWait;
    }

    /** The aggregator's completion step: the batch goes to its workspace's upload thread. */
    @SuppressWarnings("unchecked")
    public void handOver(Exchange completed) {
        WorkspaceDelivery workspace = completed.getProperty(WorkspaceDelivery.PROPERTY, WorkspaceDelivery.class);
        List<PendingStix> batch = completed.getMessage().getBody(List.class);
        // a fresh exchange: the aggregator's own ends when this step returns
        Exchange upload = new DefaultExchange(completed.getContext());
        upload.getMessage().setBody(batch);
        upload.setProperty(WorkspaceDelivery.PROPERTY, workspace);
        Runnable task = () -> {
            Exchange done = template(completed).send(UPLOAD, upload);
            if (done.getException() != null) {
                LOG.error("{}upload of a batch failed outside its error handling: {}", workspace.label(),
                        done.getException().toString());
            }
        };
        try {
            if (maxQueueWait == null) {
                workspace.uploads().execute(task);
            } else if (!workspace.uploads().offer(task, maxQueueWait)) {
                settlement.failed(workspace, batch, new SentinelUnavailableException("its uploads did not move for "
                        + maxQueueWait.toSeconds() + "s (sentinel.max-queue-wait-seconds), so it no longer holds the "
                        + "other workspaces back"));
            }
        } catch (RejectedExecutionException stopping) {
            // misp-sentinel is stopping: the batch is sent after the restart
            settlement.failed(workspace, batch, stopping);
        }
    }

    private ProducerTemplate template(Exchange exchange) {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = exchange.getContext().createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    /**
     * Returns once every batch handed over before this call, for every workspace, was uploaded and
     * settled. With several workspaces, one whose uploads do not move for
     * {@code sentinel.max-queue-wait-seconds} (a long 429, an outage) is not waited for: its uploads
     * stop, what it has not delivered is released for the next cycle, and the others' checkpoints move.
     */
    public void drain() {
        // every completed batch reached its workspace's queue first
        handOver.drain();
        for (WorkspaceDelivery workspace : workspaces) {
            if (maxQueueWait == null) {
                workspace.uploads().drain();
            } else if (!workspace.uploads().drain(maxQueueWait)) {
                settlement.stalled(workspace, new SentinelUnavailableException("its uploads did not move for "
                        + maxQueueWait.toSeconds() + "s (sentinel.max-queue-wait-seconds) at the end of the cycle, so "
                        + "it no longer holds the cycle's end back; what it did not deliver is sent next cycle"));
            }
        }
    }
}
