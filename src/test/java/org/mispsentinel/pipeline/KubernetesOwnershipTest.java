package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.launcher.Launcher;
import org.mispsentinel.standin.SentinelStandIn;
import org.mispsentinel.state.RealPostgres;

/**
 * Several instances sharing the workspaces through Camel's Kubernetes cluster service (a Lease of
 * coordination.k8s.io per workspace) against fabric8's Kubernetes API mock server in CRUD mode.
 */
class KubernetesOwnershipTest {

    @RegisterExtension
    static final RealPostgres.Database DB = RealPostgres.database();

    @TempDir
    Path temp;

    private static void awaitSpread(KubernetesCluster cluster, int each) {
        cluster.awaitSpread(each, Duration.ofSeconds(90), Duration.ofSeconds(3));
    }

    @Test
    void sixWorkspacesSpreadOverThreeInstancesWithALeaseEachAndMoveWhenAnInstancesPodGoes() throws Exception {
        try (KubernetesCluster cluster = new KubernetesCluster(temp, DB, "k", 6)) {
            List<String> detections = Attributes.addMix(cluster.dataset, 60);
            cluster.start("a");
            cluster.start("b");
            cluster.start("c");

            awaitSpread(cluster, 2);
            // the owner of each workspace is the holder of its Lease in the API server
            Map<String, String> holders = cluster.leaseHolders();
            cluster.owners().forEach((instance, owned) -> owned.forEach(workspace ->
                    assertThat(holders).containsEntry("leaders-misp-sentinel-" + workspace, instance)));

            // a's pod goes (a node lost, a pod evicted): b and c take its two workspaces, then 3/3
            List<String> moved = cluster.owners().get("a");
            cluster.stop("a");
            cluster.deletePod("a");
            awaitSpread(cluster, 3);
            assertThat(cluster.owners().values().stream().flatMap(List::stream)).containsAll(moved);
            cluster.runCycle("b");
            cluster.runCycle("c");
            for (Map.Entry<String, SentinelStandIn> workspace : cluster.sentinels.entrySet()) {
                assertThat(workspace.getValue().acceptedIds()).as("workspace %s", workspace.getKey())
                        .containsExactlyInAnyOrderElementsOf(Attributes.indicatorIds(detections));
                assertThat(workspace.getValue().duplicateUploads()).as("workspace %s", workspace.getKey()).isZero();
            }

            // a comes back in a new pod: the spread returns to two each
            cluster.start("a");
            awaitSpread(cluster, 2);
        }
    }

    @Test
    void checkJoinsAWorkspaceViewFromItsPodAndFailsWithoutOne() throws Exception {
        try (KubernetesCluster cluster = new KubernetesCluster(temp, DB, "c", 2)) {
            cluster.start("a");
            await().atMost(60, TimeUnit.SECONDS).until(() -> cluster.ownership("a").owned().size() == 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

            // without a running pod of its name the service takes no part: the check says so
            int code = Launcher.run(new String[] {"--check"}, cluster.settings("checker"), java.time.Clock.systemUTC(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), err);
            assertThat(code).isNotZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAIL  cluster: KubernetesClusterService did not "
                    + "take this instance (checker) into view misp-sentinel-c0");

            cluster.createPod("checker");
            out.reset();
            code = Launcher.run(new String[] {"--check"}, cluster.settings("checker"), java.time.Clock.systemUTC(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), err);

            assertThat(code).as("%s", out).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("ok    cluster: KubernetesClusterService answers; "
                    + "instance checker joined view misp-sentinel-c0 (led by a, 2 candidates) and left it");
            // the running instance kept what it owns
            assertThat(cluster.ownership("a").owned()).containsExactly("c0", "c1");
        }
    }
}
