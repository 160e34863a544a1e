package org.mispsentinel.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.cluster.CamelPreemptiveClusterView;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which workspaces this instance owns. Without a cluster service (a single instance) it owns them
 * all. With one (Camel's {@link CamelClusterService}: ZooKeeper, Kubernetes leases, ...) each
 * workspace is a view of its own, and the view's leader owns the workspace; {@link #balance} spreads
 * the workspaces over the live instances, since leader election alone gives every one of them to the
 * instance that started first.
 */
public final class Ownership {

    private static final Logger LOG = LoggerFactory.getLogger(Ownership.class);

    private final List<String> workspaces;
    private final String viewPrefix;
    private final Consumer<String> lost;
    /** by workspace name, in the configured order; empty without a cluster service */
    private final Map<String, CamelClusterView> views = new LinkedHashMap<>();
    private volatile CamelClusterService service;
    /** the workspaces this instance was told it leads, so that only their loss is news */
    private final Set<String> leading = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** the members seen at the last balance: a surplus is given up only while that count holds */
    private int membersBefore;
    /** the workspaces whose view did not list this instance at the last balance */
    private final Set<String> notCandidateBefore = new java.util.HashSet<>();
    /** the workspaces given up on a lease backend, whose view stays disabled until another instance leads it */
    private final Set<String> yielding = new java.util.HashSet<>();
    /**
     * Workspaces given up by leaving and joining a queue (ZooKeeper): Camel 4.18's view interrupts its
     * leadership on stop and Curator drops the re-join made while that lets go, so the instance is
     * often missing from the queue afterwards. That is the give-up's doing, not a lost session.
     */
    private final Set<String> rejoining = new java.util.HashSet<>();

    /**
     * @param lost told the name of a workspace this instance led and no longer does (a session or
     *             lease lost, or given up to spread the load), on the cluster service's thread
     */
    public Ownership(List<String> workspaces, String viewPrefix, Consumer<String> lost) {
        this.workspaces = List.copyOf(workspaces);
        this.viewPrefix = viewPrefix;
        this.lost = lost;
    }

    /**
     * Joins the view of every workspace when the context has a cluster service (camel-main binds
     * {@code camel.beans.clusterService} and starts it with the context); without one, nothing starts.
     */
    public synchronized void join(CamelContext context) throws Exception {
        Optional<CamelClusterService> found = ClusterServiceHelper.lookupService(context);
        if (found.isEmpty()) {
            return;
        }
        service = found.get();
        for (String workspace : workspaces) {
            CamelClusterView view = service.getView(viewPrefix + workspace);
            view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> changed(workspace, leader));
            views.put(workspace, view);
        }
        LOG.info("instance {} joined the cluster views of workspaces {}; each is delivered by the instance that "
                + "leads its view", service.getId(), String.join(", ", workspaces));
    }

    /**
     * Gives up every view once delivery has stopped, while the cluster service is still up. Camel's
     * ZooKeeper view stops by interrupting its leadership only: the lock node of a view this instance
     * leads is then released on a live connection, instead of by a Curator thread that finds the
     * connection already closed with the context (logged at ERROR with a stack trace on every stop);
     * the nodes of views it is only a candidate in go when its session closes.
     */
    public synchronized void leave() {
        if (service == null || views.isEmpty()) {
            return;
        }
        LOG.info("instance {} leaves the cluster views of workspaces {}: it is stopping, the others take them over",
                service.getId(), String.join(", ", views.keySet()));
        for (String workspace : views.keySet()) {
            try {
                service.stopView(viewPrefix + workspace);
            } catch (Exception e) {
                // the backend away: its session ends with the connection, and the others take over then
                LOG.warn("workspace {}: cannot leave its cluster view ({}); the others take it over when this "
                        + "instance's session ends", workspace, e.getMessage());
            }
        }
        views.clear();
    }

    private void changed(String workspace, CamelClusterMember leader) {
        boolean ours = leader != null && leader.isLocal() && owns(workspace);
        if (ours && leading.add(workspace)) {
            LOG.info("workspace {}: this instance ({}) owns it now; its next cycle resumes from its committed state",
                    workspace, instanceId());
        } else if (!ours && leading.remove(workspace)) {
            LOG.info("workspace {}: owned by {} now, not by this instance ({}); nothing more is sent for it from here",
                    workspace, leader == null ? "no instance yet" : "instance " + leader.getId(), instanceId());
            lost.accept(workspace);
        }
    }

    public boolean clustered() {
        return service != null;
    }

    /** This instance's id in the cluster (the cluster service's {@code id}), or "local" for a single instance. */
    public String instanceId() {
        CamelClusterService s = service;
        return s == null ? "local" : s.getId();
    }

    /** Whether this instance leads the workspace's view now (always, for a single instance). */
    public boolean owns(String workspace) {
        CamelClusterView view = views.get(workspace);
        if (service == null || view == null) {
            return service == null;
        }
        try {
            return view.getLocalMember().isLeader();
        } catch (RuntimeException unreachable) {
            // a backend that cannot say is not a leadership to upload on
            return false;
        }
    }

    /**
     * The fence in front of every upload attempt (the first and each one after a 429 or an outage)
     * with several instances: this instance still leads the workspace's view, and its state store
     * still owns the workspace (a shared store checks its fencing epoch). A single instance has no
     * one to lose a workspace to (its store's commits are fenced all the same).
     *
     * @throws OwnershipLostException when another instance leads the view: the batch is abandoned, not
     *                                sent and not committed, for the new owner to send
     * @throws StateException         when the store cannot confirm it (the database does not answer, or
     *                                an instance claimed it in between): the batch is not sent and waits
     *                                for the next cycle, which claims the workspace again
     */
    public void ensureOwned(WorkspaceDelivery workspace) {
        if (service == null) {
            return;
        }
        if (!workspace.ownedInCycle() || !owns(workspace.name())) {
            workspace.ownershipLost();
            throw new OwnershipLostException("workspace " + workspace.name() + ": this instance (" + instanceId()
                    + ") no longer owns it" + owner(workspace.name()).map(id -> " (instance " + id + " does)").orElse("")
                    + "; the batch is not sent and not recorded, and the new owner sends it");
        }
        if (!workspace.store().owned()) {
            throw new StateException("workspace " + workspace.name() + ": its state store cannot confirm that this "
                    + "instance still owns it (the database does not answer, or another instance claimed it); the "
                    + "batch is not sent, and is sent next cycle");
        }
    }

    /** The workspaces this instance owns now, in the configured order. */
    public Set<String> owned() {
        Set<String> owned = new LinkedHashSet<>();
        for (String workspace : workspaces) {
            if (owns(workspace)) {
                owned.add(workspace);
            }
        }
        return owned;
    }

    /** The id of the instance that owns the workspace, as far as the cluster service knows. */
    public Optional<String> owner(String workspace) {
        CamelClusterView view = views.get(workspace);
        if (service == null || view == null) {
            return Optional.of(instanceId());
        }
        try {
            return view.getLeader().map(CamelClusterMember::getId);
        } catch (RuntimeException unreachable) {
            return Optional.empty();
        }
    }

    /**
     * Spreads the workspaces: an instance that owns more than its fair share (the workspaces divided
     * by the live instances, rounded up) gives the surplus up by leaving those views and joining them
     * again at the back of their queues, so that the next candidate takes over; one that owns two more
     * than the instance with the fewest gives one up per round. A surplus is given up
     * only when the count of instances was the same at the last balance, so that an instance joining
     * view by view does not make the others give up on a count that is still growing. A workspace
     * travels at most once round the queue (each holder that is at its share passes it on), and stops
     * at the first instance below its share, which always exists while one is above it. It also
     * joins again any view it dropped out of (a lost session ends its candidacy).
     */
    public synchronized void balance() throws Exception {
        if (service == null) {
            return;
        }
        Set<String> instances = new java.util.HashSet<>();
        Map<String, Integer> leading = new java.util.HashMap<>();
        List<String> led = new ArrayList<>();
        reenableYielded();
        for (Map.Entry<String, CamelClusterView> entry : views.entrySet()) {
            String namespace = viewPrefix + entry.getKey();
            List<CamelClusterMember> candidates;
            try {
                candidates = entry.getValue().getMembers();
            } catch (RuntimeException unreachable) {
                LOG.warn("workspace {}: the cluster backend does not answer ({}); ownership is balanced again in the "
                        + "next round", entry.getKey(), unreachable.toString());
                return;
            }
            candidates.forEach(member -> instances.add(member.getId()));
            candidates.stream().filter(CamelClusterMember::isLeader)
                    .forEach(leader -> leading.merge(leader.getId(), 1, Integer::sum));
            boolean candidate = candidates.stream().anyMatch(CamelClusterMember::isLocal) || owns(entry.getKey());
            // a view read while its nodes change may miss this instance once: it rejoins on the second look
            boolean missing = !candidate && !notCandidateBefore.add(entry.getKey());
            if (candidate) {
                notCandidateBefore.remove(entry.getKey());
                rejoining.remove(entry.getKey());
            }
            if (missing) {
                notCandidateBefore.remove(entry.getKey());
                if (rejoining.remove(entry.getKey())) {
                    LOG.info("workspace {}: this instance gave it up and is not yet back among its candidates; it joins "
                            + "its view again", entry.getKey());
                } else {
                    LOG.info("workspace {}: this instance is no candidate for it any more (its session or lease was "
                            + "lost); it joins its view again", entry.getKey());
                }
                service.stopView(namespace);
                service.startView(namespace);
            } else if (owns(entry.getKey())) {
                led.add(entry.getKey());
            }
        }
        instances.add(instanceId());
        int members = instances.size();
        int fair = FairShare.of(workspaces.size(), members);
        int surplus = led.size() - fair;
        // within the share but two above another instance (7 over 3 as 3/3/1): one moves per round
        int least = instances.stream().mapToInt(id -> leading.getOrDefault(id, 0)).min().orElse(0);
        if (surplus <= 0 && led.size() >= least + 2) {
            surplus = 1;
        }
        if (surplus > 0 && members == membersBefore) {
            // the last ones in the configured order, so that each instance gives up the same way
            for (String workspace : led.subList(led.size() - surplus, led.size())) {
                LOG.info("workspace {}: given up to spread the load (this instance owned {}, its fair share is {} of "
                        + "{} workspaces among {} instances, the fewest an instance owns is {})", workspace, led.size(),
                        fair, workspaces.size(), members, least);
                giveUp(workspace);
            }
        }
        membersBefore = members;
    }

    /**
     * Leaves a workspace's view for another instance to lead it. A lease (Kubernetes) stays this
     * instance's until it lapses, and a view started again at once finds its own holder still valid
     * and keeps it; a preemptive view, disabled, clears the lease's holder and takes no lease until
     * enabled again, which the next rounds do once another instance leads it. A queue (ZooKeeper)
     * takes the instance back at its end.
     */
    private void giveUp(String workspace) throws Exception {
        if (views.get(workspace) instanceof CamelPreemptiveClusterView preemptive) {
            preemptive.setDisabled(true);
            yielding.add(workspace);
        } else {
            service.stopView(viewPrefix + workspace);
            service.startView(viewPrefix + workspace);
            rejoining.add(workspace);
        }
    }

    private void reenableYielded() {
        yielding.removeIf(workspace -> {
            CamelPreemptiveClusterView view = (CamelPreemptiveClusterView) views.get(workspace);
            boolean takenOver = view.getLeader().filter(leader -> !leader.isLocal()).isPresent();
            if (takenOver) {
                view.setDisabled(false);
            }
            return takenOver;
        });
    }
}
