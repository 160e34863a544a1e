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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.launcher.Launcher;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mispsentinel.state.RealPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.mispsentinel.standin.SentinelFault;
import org.mispsentinel.standin.SentinelStandIn;

/**
 * Several instances sharing the workspaces through Camel's cluster service on a real ZooKeeper
 * (Curator's TestingServer). The Sentinel stand-ins' answers are those of SentinelStandInTest
 * (sentinel-api.md: 429 with Retry-After; an answer that takes long).
 */
class ZooKeeperOwnershipTest {

    @RegisterExtension
    static final RealPostgres.Database DB = RealPostgres.database();

    @TempDir
    Path temp;

    private static void awaitSpread(ZooKeeperCluster cluster, int each) {
        cluster.awaitSpread(each, Duration.ofSeconds(60), Duration.ofMillis(200));
    }

    private static CompletableFuture<CycleReport> cycleInBackground(ZooKeeperCluster cluster, String instance) {
        return CompletableFuture.supplyAsync(() -> cluster.runCycle(instance));
    }

    @Test
    void sixWorkspacesSpreadOverThreeInstancesMoveWhenOneDiesMidUploadAndSpreadAgainWhenItReturns() throws Exception {
        try (ZooKeeperCluster cluster = new ZooKeeperCluster(temp, DB, "k", 6)) {
            List<String> detections = Attributes.addMix(cluster.dataset, 160);
            cluster.start("a");
            cluster.start("b");
            cluster.start("c");

            awaitSpread(cluster, 2);

            // the victim's two workspaces each have a batch in flight when it dies: Sentinel holds the answer
            String victim = "a";
            List<String> moved = cluster.owners().get(victim);
            moved.forEach(w -> cluster.sentinels.get(w).enqueue(SentinelFault.delay(Duration.ofSeconds(5))));
            CompletableFuture<CycleReport> dying = cycleInBackground(cluster, victim);
            await().atMost(30, TimeUnit.SECONDS).until(() -> moved.stream()
                    .allMatch(w -> cluster.sentinels.get(w).requestLog().size() >= 1));
            cluster.loseSession(victim);
            cluster.stop(victim);
            dying.handle((report, failure) -> null).get(30, TimeUnit.SECONDS);

            // the survivors take the two over once ZooKeeper ends the dead session, then spread 3/3
            awaitSpread(cluster, 3);
            assertThat(cluster.owners().values().stream().flatMap(List::stream)).containsAll(moved);
            cluster.runCycle("b");
            cluster.runCycle("c");

            for (Map.Entry<String, SentinelStandIn> workspace : cluster.sentinels.entrySet()) {
                SentinelStandIn sentinel = workspace.getValue();
                assertThat(sentinel.acceptedIds()).as("workspace %s", workspace.getKey())
                        .containsExactlyInAnyOrderElementsOf(Attributes.indicatorIds(detections));
                // only the batch in flight at the death may have arrived twice
                assertThat(sentinel.duplicateUploads()).as("workspace %s", workspace.getKey())
                        .isLessThanOrEqualTo(moved.contains(workspace.getKey()) ? 20 : 0);
            }

            // the victim comes back: the spread returns to two each
            cluster.start(victim);
            awaitSpread(cluster, 2);
        }
    }

    @Test
    void anOwnerThatLosesItsSessionDuringA429NeitherUploadsNorCommitsAfterTheTakeOver() throws Exception {
        try (ZooKeeperCluster cluster = new ZooKeeperCluster(temp, DB, "p", 2)) {
            List<String> detections = Attributes.addMix(cluster.dataset, 30);
            cluster.start("a");
            cluster.start("b");
            awaitSpread(cluster, 1);
            String owner = "a";
            String workspace = cluster.owners().get(owner).get(0);
            SentinelStandIn sentinel = cluster.sentinels.get(workspace);
            // the first batch waits on a 429 longer than the take-over takes
            sentinel.enqueue(SentinelFault.throttled(20, true));

            CompletableFuture<CycleReport> partitioned = cycleInBackground(cluster, owner);
            await().atMost(30, TimeUnit.SECONDS).until(() -> sentinel.throttledCount() == 1);
            cluster.loseSession(owner);
            await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
                cluster.balance();
                return cluster.ownership("b").owned().contains(workspace);
            });
            CycleReport took = cluster.runCycle("b");
            CycleReport old = partitioned.get(30, TimeUnit.SECONDS);

            // the new owner delivered everything once; the old one sent nothing after its 429
            assertThat(sentinel.acceptedIds()).containsExactlyInAnyOrderElementsOf(Attributes.indicatorIds(detections));
            assertThat(Attributes.indicatorIds(detections)).allSatisfy(id -> assertThat(sentinel.uploadCount(id)).isEqualTo(1));
            // the request log: the old owner's one request (answered 429), then the new owner's batches
            int batches = (int) took.workspaces().get(workspace).batches();
            assertThat(sentinel.throttledCount()).isEqualTo(1);
            assertThat(sentinel.requests()).isEqualTo(1 + batches);
            assertThat(sentinel.batchSizes()).hasSize(batches);
            // and the old owner committed nothing of it: the database holds the new owner's claim
            assertThat(old.workspaces().get(workspace).delivered()).isZero();
            try (Connection c = DB.connect();
                 PreparedStatement q = c.prepareStatement("SELECT instance FROM misp_sentinel_owner WHERE workspace = ?")) {
                q.setString(1, workspace);
                try (ResultSet row = q.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString(1)).isEqualTo("b");
                }
            }
        }
    }

    @Test
    void checkJoinsAWorkspaceViewBesideARunningInstanceAndFailsWhenZooKeeperIsAway() throws Exception {
        try (ZooKeeperCluster cluster = new ZooKeeperCluster(temp, DB, "c", 2)) {
            cluster.start("a");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int code = Launcher.run(new String[] {"--check"}, cluster.settings("checker"), java.time.Clock.systemUTC(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(code).as("%s", out).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("ok    cluster: ZooKeeperClusterService answers; "
                    + "instance checker joined view misp-sentinel-c0 (led by a, 2 candidates) and left it");
            // the running instance kept what it owns
            assertThat(cluster.ownership("a").owned()).containsExactly("c0", "c1");

            cluster.zooKeeper.stop();
            out.reset();
            code = Launcher.run(new String[] {"--check"}, cluster.settings("checker"), java.time.Clock.systemUTC(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(code).isNotZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAIL  cluster: ZooKeeperClusterService");
            cluster.zooKeeper.restart();
        }
    }
}
