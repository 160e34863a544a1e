package org.mispsentinel.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How delivery stops, in the jar on SIGTERM and in Karaf on a reconfiguration, before the runtime
 * stops the routes: the cycle in progress is told to read and send nothing more, the batch Sentinel
 * is taking gets {@code shutdown.settle-seconds} to be answered and recorded, and the cycle ends
 * with its summary. Stopping the routes first could cut a batch Sentinel takes anyway, which would
 * then be sent again; waiting for the whole cycle could outlast the stop timeout of systemd or
 * Kubernetes, which kill the process.
 */
public final class DeliveryStop {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryStop.class);
    /** after the uploads: what the cycle's end takes (judging it, one commit of the state) */
    private static final Duration CYCLE_END = Duration.ofSeconds(5);

    private final SyncCycle cycle;
    private final ExecutorService handOver;
    private final List<WorkspaceDelivery> workspaces;
    private final Duration settle;

    public DeliveryStop(SyncCycle cycle, ExecutorService handOver, List<WorkspaceDelivery> workspaces,
                        Duration settle) {
        this.cycle = cycle;
        this.handOver = handOver;
        this.workspaces = List.copyOf(workspaces);
        this.settle = settle;
    }

    /**
     * @return true for a clean stop: the batch in flight, if any, was settled and the cycle ended in
     *         time; false when a batch was cut (it may be sent again after the restart) or the cycle
     *         did not end
     */
    public boolean stop() {
        long deadline = System.nanoTime() + settle.toNanos();
        if (cycle.stop()) {
            LOG.info("stopping: waiting up to {} s (shutdown.settle-seconds) for the batch Sentinel is taking to be "
                    + "answered and recorded, then for the cycle's summary; what is not delivered is sent after "
                    + "the next start", settle.toSeconds());
        } else {
            LOG.info("stopping: no cycle is running, nothing to wait for");
        }
        // a batch completed from now on is released on the flushing thread instead of being queued
        handOver.shutdown();
        boolean clean = true;
        try {
            for (WorkspaceDelivery workspace : workspaces) {
                if (!workspace.quiesce(Duration.ofNanos(deadline - System.nanoTime()))) {
                    LOG.warn("stopping: {}the batch Sentinel was taking was not answered within {} s; it is sent "
                            + "again after the next start", workspace.label(), settle.toSeconds());
                    clean = false;
                }
            }
            if (!cycle.awaitEnd(CYCLE_END.plusNanos(Math.max(0, deadline - System.nanoTime())))) {
                LOG.warn("stopping: the cycle did not end in time; its checkpoint stays, so the next start reads "
                        + "its window again");
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return clean;
    }
}
