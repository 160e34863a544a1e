package org.mispsentinel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The balance rule on a cluster backend played in memory: each view is a queue of candidates whose
 * head leads, and a candidate that leaves and joins again goes to its back, as with ZooKeeper's
 * leader election (Curator's LeaderSelector) that camel-zookeeper uses.
 */
class OwnershipBalanceTest {

    private static final List<String> WORKSPACES = List.of("w0", "w1", "w2", "w3", "w4", "w5", "w6");

    /** namespace to its queue of candidates, head first */
    private final Map<String, List<String>> queues = new HashMap<>();
    private final Map<String, Ownership> instances = new LinkedHashMap<>();
    private final List<DefaultCamelContext> contexts = new ArrayList<>();
    private final List<String> moves = new ArrayList<>();
    private final List<View> views = new ArrayList<>();

    @AfterEach
    void stop() {
        contexts.forEach(DefaultCamelContext::stop);
    }

    private void start(String id) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.addService(new Backend(id));
        context.start();
        contexts.add(context);
        Ownership ownership = new Ownership(WORKSPACES, "p-", lost -> moves.add(id + " lost " + lost));
        ownership.join(context);
        instances.put(id, ownership);
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        instances.forEach((id, o) -> counts.put(id, o.owned().size()));
        return counts;
    }

    private void rounds(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            for (Ownership o : instances.values()) {
                o.balance();
            }
        }
    }

    @Test
    void sevenWorkspacesSpreadThreeTwoTwoOverThreeInstancesAndStayPutOnceSpread() throws Exception {
        start("a");
        start("b");
        start("c");
        assertThat(counts()).containsEntry("a", 7);

        rounds(4);
        Map<String, Integer> spread = counts();
        assertThat(spread.values()).containsExactlyInAnyOrder(3, 2, 2);
        assertThat(instances.values().stream().flatMap(o -> o.owned().stream()).distinct()).hasSize(7);

        // no ping-pong: more rounds move nothing
        int movesBefore = moves.size();
        rounds(10);
        assertThat(moves).hasSize(movesBefore);
        assertThat(counts()).isEqualTo(spread);
    }

    @Test
    void aSurplusIsGivenUpOnlyOnceTheCountOfInstancesHeldForARound() throws Exception {
        start("a");
        start("b");

        // the first round sees two instances for the first time: nothing moves yet
        instances.get("a").balance();
        assertThat(counts()).containsEntry("a", 7).containsEntry("b", 0);
        instances.get("a").balance();
        assertThat(counts()).containsEntry("a", 4).containsEntry("b", 3);
    }

    /** One instance's view of the in-memory backend. */
    private final class Backend extends AbstractCamelClusterService<View> {

        Backend(String id) {
            setId(id);
        }

        @Override
        protected View createView(String namespace) {
            return new View(this, namespace);
        }
    }

    private final class View extends AbstractCamelClusterView {

        View(Backend service, String namespace) {
            super(service, namespace);
            views.add(this);
        }

        private List<String> queue() {
            return queues.computeIfAbsent(getNamespace(), ns -> new ArrayList<>());
        }

        private CamelClusterMember member(String id) {
            String local = getClusterService().getId();
            List<String> queue = queue();
            return new CamelClusterMember() {
                @Override
                public boolean isLeader() {
                    return !queue.isEmpty() && queue.get(0).equals(id);
                }

                @Override
                public boolean isLocal() {
                    return id.equals(local);
                }

                @Override
                public String getId() {
                    return id;
                }
            };
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return queue().isEmpty() ? Optional.empty() : Optional.of(member(queue().get(0)));
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return member(getClusterService().getId());
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return queue().stream().map(this::member).toList();
        }

        @Override
        protected void doStart() {
            String before = queue().isEmpty() ? null : queue().get(0);
            queue().add(getClusterService().getId());
            tell(before);
        }

        @Override
        protected void doStop() {
            String before = queue().isEmpty() ? null : queue().get(0);
            queue().remove(getClusterService().getId());
            tell(before);
        }

        /** Every instance's view of this namespace hears of a new leader, as the backend tells them. */
        private void tell(String leaderBefore) {
            Optional<CamelClusterMember> leader = getLeader();
            if (leader.map(CamelClusterMember::getId).orElse(null) == null ? leaderBefore == null
                    : leader.get().getId().equals(leaderBefore)) {
                return;
            }
            for (View view : views) {
                if (view.getNamespace().equals(getNamespace()) && view.isRunAllowed()) {
                    view.fire();
                }
            }
        }

        void fire() {
            fireLeadershipChangedEvent(getLeader().orElse(null));
        }
    }
}
