package org.mispsentinel.launcher;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.mispsentinel.config.Settings;

/**
 * {@code --check} of the cluster backend ({@code camel.beans.clusterService}): the service starts with
 * this instance's id, joins the view of the first workspace as a candidate for a moment (so the
 * backend answers and, on Kubernetes, the service account may manage the lease), and tells who leads
 * it and how many instances take part. A candidate at the back of the queue takes nothing from a
 * running instance; it leaves before the line is printed.
 */
final class ClusterCheck {

    /** How long joining a view may take: far above a healthy backend's round trips. */
    private static final Duration JOIN = Duration.ofSeconds(10);

    private final CamelClusterService service;

    private ClusterCheck(CamelClusterService service) {
        this.service = service;
    }

    /** The cluster service camel-main bound from the settings, not started; empty for a single instance. */
    static Optional<ClusterCheck> of(CamelContext context) {
        return context.getRegistry().findByType(CamelClusterService.class).stream().findFirst().map(ClusterCheck::new);
    }

    String run(CamelContext context, String instanceId, String view) {
        String kind = service.getClass().getSimpleName();
        if (service.getId() == null) {
            service.setId(instanceId);
        }
        service.setCamelContext(context);
        try {
            service.start();
            CamelClusterView joined = service.getView(view);
            try {
                long end = System.nanoTime() + JOIN.toNanos();
                List<CamelClusterMember> members = joined.getMembers();
                while (members.stream().noneMatch(CamelClusterMember::isLocal) && System.nanoTime() < end) {
                    Thread.sleep(100);
                    members = joined.getMembers();
                }
                if (members.stream().noneMatch(CamelClusterMember::isLocal)) {
                    throw new NotJoined(kind + " did not take this instance (" + service.getId()
                            + ") into view " + view + " within " + JOIN.toSeconds()
                            + " s: check camel.beans.clusterService's settings and that the backend is reachable");
                }
                String leader = joined.getLeader().map(CamelClusterMember::getId).orElse("none yet");
                return kind + " answers; instance " + service.getId() + " joined view " + view + " (led by "
                        + leader + ", " + members.size() + " candidates) and left it";
            } finally {
                service.releaseView(joined);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining view " + view);
        } catch (NotJoined e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(kind + " did not answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): check camel.beans.clusterService's "
                    + "settings and that the backend is reachable from here", e);
        } finally {
            service.stop();
        }
    }

    /** The view a check joins: the first workspace's, as a run names it. */
    static String view(Settings settings) {
        return settings.cluster().viewPrefix() + settings.workspaces().get(0).name();
    }

    private static final class NotJoined extends IllegalStateException {
        NotJoined(String message) {
            super(message);
        }
    }
}
