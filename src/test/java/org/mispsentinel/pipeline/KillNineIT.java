package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.launcher.LeanJvm;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.SentinelFault;
import org.mispsentinel.standin.SentinelStandIn;
import org.mispsentinel.standin.StandInTls;
import org.mispsentinel.standin.StandIns;
import org.mispsentinel.state.RealPostgres;

/**
 * Issue 22's proof with real processes: three instances of the runnable jar (failsafe: it exists
 * only after the package phase), each its own JVM with its own state directory and instance id,
 * sharing a real ZooKeeper (Curator's TestingServer) and a real PostgreSQL, with the stand-ins in this
 * JVM on loopback. The instance that dies gets SIGKILL ({@link Process#destroyForcibly()} on Linux):
 * no shutdown hook, no settling of the batch in flight. Each instance is started with the lean JVM's
 * options, heap bound included, so the launcher runs in that one JVM ({@link LeanJvm} starts no second
 * one) and the signal reaches the process that uploads. The instances' output is kept in
 * target/kill-nine-it/.
 */
class KillNineIT {

    @RegisterExtension
    static final RealPostgres.Database DB = RealPostgres.database();

    private static final Path JAR = Path.of(System.getProperty("runnable.jar", "target/misp-sentinel.jar"));
    private static final Path LOGS = Path.of("target", "kill-nine-it");
    /** ZooKeeper's tick: a session may last from two to twenty ticks. */
    private static final int TICK_MS = 200;
    private static final int SESSION_TIMEOUT_MS = 4_000;
    private static final int BATCH_SIZE = 20;
    /** Generous, for a machine loaded by other builds: bounds on waiting, not assertions on time. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final Pattern OWNED = Pattern.compile(
            "^misp_sentinel_workspace_owned\\{[^}]*workspace=\"([^\"]+)\"[^}]*}\\s+([0-9.]+)", Pattern.MULTILINE);

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();
    private final InMemoryMispDataset dataset = new InMemoryMispDataset();
    private final Map<String, SentinelStandIn> sentinels = new LinkedHashMap<>();
    private final Map<String, String> workspaceIds = new LinkedHashMap<>();
    private final Map<String, Instance> instances = new TreeMap<>();
    private StandIns standIns;
    private TestingServer zooKeeper;
    private Path trustStore;

    /** One product process: its JVM, its management port, the file its output goes to. */
    private record Instance(String id, Process process, int managementPort, Path log) {
    }

    @Test
    void threeProcessesShareSixWorkspacesAndAKillNineDuringAnUploadLosesNothing() throws Exception {
        Files.createDirectories(LOGS);
        try (StandIns started = StandIns.builder().dataset(dataset).start();
             TestingServer zk = new TestingServer(new InstanceSpec(temp.resolve("zookeeper").toFile(), -1, -1, -1, true,
                     -1, TICK_MS, -1), true)) {
            standIns = started;
            zooKeeper = zk;
            trustStore = StandInTls.writeTrustStore(temp);
            for (int i = 0; i < 6; i++) {
                String id = UUID.nameUUIDFromBytes(("kill-nine-workspace-" + i).getBytes()).toString();
                workspaceIds.put("w" + i, id);
                sentinels.put("w" + i, SentinelStandIn.builder().workspace(id).tokens(standIns.tokens()).start());
            }
            try {
                run();
            } finally {
                instances.values().forEach(i -> kill(i.process()));
                sentinels.values().forEach(SentinelStandIn::close);
            }
        }
    }

    private void run() throws Exception {
        List<String> detections = new ArrayList<>(add(0, 120));
        for (String id : List.of("a", "b", "c")) {
            start(id, 1);
        }
        Map<String, List<String>> spread = awaitSpread(List.of("a", "b", "c"), 2);
        awaitDelivered(sentinels.keySet(), detections);

        // the victim's next upload to each of its workspaces is held by Sentinel; the others answer at once
        String victim = "a";
        List<String> moved = spread.get(victim);
        Map<String, Integer> before = new LinkedHashMap<>();
        for (String workspace : moved) {
            SentinelStandIn sentinel = sentinels.get(workspace);
            before.put(workspace, sentinel.requests());
            sentinel.enqueue(SentinelFault.delay(Duration.ofSeconds(20)));
        }
        detections.addAll(add(1_000, 200));
        List<String> others = sentinels.keySet().stream().filter(w -> !moved.contains(w)).toList();
        awaitDelivered(others, detections);
        await().atMost(PATIENCE).until(() -> moved.stream()
                .allMatch(w -> sentinels.get(w).requests() > before.get(w)));

        Instance dying = instances.get(victim);
        assertThat(dying.process().descendants().count()).as("a second JVM under %s", victim).isZero();
        // what Sentinel has received and not yet answered: the batches in flight at the kill
        Map<String, Integer> inFlight = new LinkedHashMap<>();
        moved.forEach(w -> inFlight.put(w, sentinels.get(w).requests() - sentinels.get(w).uploads().size()));
        Instant killedAt = Instant.now();
        dying.process().destroyForcibly();
        assertThat(dying.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dying.process().exitValue()).as("SIGKILL's exit status").isEqualTo(137);
        instances.remove(victim);
        assertThat(inFlight.values()).allSatisfy(n -> assertThat(n).isPositive());

        // the survivors take the two over once ZooKeeper ends the dead session
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Map<String, List<String>> owners = owners(List.of("b", "c"));
            assertThat(owners.values().stream().flatMap(List::stream).sorted().toList())
                    .as("workspaces by instance: %s", owners).containsExactlyElementsOf(sentinels.keySet());
        });
        Duration takeOver = Duration.between(killedAt, Instant.now());
        awaitDelivered(sentinels.keySet(), detections);
        // the held request ends (Sentinel takes the batch the dead instance sent), so the counts below are final
        await().atMost(PATIENCE).until(() -> sentinels.values().stream()
                .allMatch(s -> s.uploads().size() == s.requests()));

        for (Map.Entry<String, SentinelStandIn> workspace : sentinels.entrySet()) {
            SentinelStandIn sentinel = workspace.getValue();
            assertThat(sentinel.acceptedIds()).as("workspace %s", workspace.getKey())
                    .containsExactlyInAnyOrderElementsOf(ids(detections));
            int bound = inFlight.getOrDefault(workspace.getKey(), 0) * BATCH_SIZE;
            assertThat(sentinel.duplicateUploads()).as("workspace %s: duplicates, %d batches in flight at the kill",
                    workspace.getKey(), inFlight.getOrDefault(workspace.getKey(), 0)).isLessThanOrEqualTo(bound);
        }
        System.out.printf("kill -9 of %s (owning %s, batches in flight %s): owned by the survivors %d ms after the"
                        + " kill; duplicates %s%n", victim, moved, inFlight, takeOver.toMillis(),
                sentinels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().duplicateUploads()).toList());

        // the killed instance returns with the same state directory and id: the spread comes back
        start(victim, 2);
        Map<String, List<String>> again = awaitSpread(List.of("a", "b", "c"), 2);

        // and delivers what is published next to the two it owns now, from the state the others committed
        List<String> later = add(2_000, 60);
        detections.addAll(later);
        awaitDelivered(sentinels.keySet(), detections);
        for (String workspace : again.get(victim)) {
            assertThat(ids(later)).allSatisfy(id -> assertThat(sentinels.get(workspace).uploadCount(id))
                    .as("%s in workspace %s", id, workspace).isEqualTo(1));
        }

        // SIGTERM, as systemd and Kubernetes stop it: each instance settles and exits 0 (operations.md, Stopping;
        // nothing is in Sentinel's hands now)
        for (Instance instance : instances.values()) {
            instance.process().destroy();
        }
        for (Instance instance : instances.values()) {
            assertThat(instance.process().waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .as("instance %s stops on SIGTERM, see %s", instance.id(), instance.log()).isTrue();
            assertThat(instance.process().exitValue()).as("instance %s, see %s", instance.id(), instance.log())
                    .isZero();
            // a stop is no error: nothing at ERROR from the stop signal on
            String log = Files.readString(instance.log());
            assertThat(log.substring(Math.max(0, log.indexOf("DeliveryStop - stopping")))).as("%s", instance.log())
                    .doesNotContain(" ERROR ");
            assertThat(log).doesNotContain(DB.password())
                    .doesNotContain(standIns.credentials().clientSecret())
                    .doesNotContain(standIns.credentials().mispApiKey());
        }
    }

    /** {@code count} detection attributes, published now: the next cycle of each owner reads them. */
    private List<String> add(int first, int count) {
        List<String> uuids = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            String uuid = UUID.nameUUIDFromBytes(("kill-nine-attr-" + i).getBytes()).toString();
            dataset.add(MispAttributes.attribute("domain", "host" + i + ".kill-nine.example.org").uuid(uuid)
                    .toIds(true).timestamp(1_700_000_000L + i));
            uuids.add(uuid);
        }
        return uuids;
    }

    private static List<String> ids(List<String> uuids) {
        return uuids.stream().map(Attributes::indicatorId).toList();
    }

    private void awaitDelivered(java.util.Collection<String> workspaces, List<String> detections) {
        List<String> expected = ids(detections);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (String workspace : workspaces) {
                assertThat(sentinels.get(workspace).acceptedIds()).as("workspace %s", workspace)
                        .containsAll(expected);
            }
        });
    }

    /** Waits until each instance owns {@code each} workspaces and every workspace has one owner. */
    private Map<String, List<String>> awaitSpread(List<String> ids, int each) {
        // a starting instance's management server is not up yet
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(ConnectException.class).until(() -> owners(ids), owners -> {
            List<String> all = owners.values().stream().flatMap(List::stream).sorted().toList();
            return owners.values().stream().allMatch(owned -> owned.size() == each)
                    && all.equals(List.copyOf(sentinels.keySet()));
        });
    }

    /** The workspaces each instance's gauge misp_sentinel_workspace_owned says it owns. */
    private Map<String, List<String>> owners(List<String> ids) throws Exception {
        Map<String, List<String>> owners = new TreeMap<>();
        for (String id : ids) {
            Instance instance = instances.get(id);
            assertThat(instance.process().isAlive()).as("instance %s, see %s", id, instance.log()).isTrue();
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + instance.managementPort() + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> owned = new ArrayList<>();
            Matcher m = OWNED.matcher(metrics.body());
            while (m.find()) {
                if (Double.parseDouble(m.group(2)) == 1.0) {
                    owned.add(m.group(1));
                }
            }
            owners.put(id, owned.stream().sorted().toList());
        }
        return owners;
    }

    /** Starts {@code java -jar} with the lean JVM's options, the settings in a file and the environment. */
    private void start(String id, int run) throws IOException {
        int port = freeLoopbackPort();
        Path config = temp.resolve("instance-" + id + "-" + run + ".properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            settings(port).store(out, "instance " + id);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LeanJvm.OPTIONS);
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString(), "--config", config.toString()));
        Path log = LOGS.resolve("instance-" + id + "-" + run + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // each instance's own state directory and name, as a unit or a pod sets them
        builder.environment().put("STATE_DIR", temp.resolve("state-" + id).toString());
        builder.environment().put("STATE_INSTANCE_ID", id);
        builder.environment().put("STATE_JDBC_PASSWORD", DB.password());
        instances.put(id, new Instance(id, builder.start(), port, log));
    }

    private Properties settings(int managementPort) {
        Properties p = standIns.properties(trustStore);
        p.setProperty("state.store", "postgresql");
        p.setProperty("state.jdbc-url", DB.jdbcUrl());
        p.setProperty("state.jdbc-user", DB.user());
        // the first cycle reads everything the stand-in holds; then every three seconds
        p.setProperty("misp.lookback-days", "0");
        p.setProperty("misp.poll-cron", "0/3 * * * * ?");
        p.setProperty("misp.page-size", "40");
        p.setProperty("misp.to-ids-only", "false");
        p.setProperty("sentinel.api", "indicators");
        p.setProperty("sentinel.batch-size", String.valueOf(BATCH_SIZE));
        p.setProperty("sentinel.requests-per-minute", "100000");
        p.setProperty("cluster.balance-interval-seconds", "2");
        p.setProperty("shutdown.settle-seconds", "1");
        ClusterSettings.workspaces(p, sentinels, workspaceIds);
        p.setProperty("camel.beans.clusterService",
                "#class:org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService");
        p.setProperty("camel.beans.clusterService.nodes", "127.0.0.1:" + zooKeeper.getPort());
        p.setProperty("camel.beans.clusterService.basePath", "/misp-sentinel");
        p.setProperty("camel.beans.clusterService.sessionTimeout", String.valueOf(SESSION_TIMEOUT_MS));
        p.setProperty("camel.beans.clusterService.connectTimeout", "2000");
        p.setProperty("camel.management.enabled", "true");
        p.setProperty("camel.management.host", "127.0.0.1");
        p.setProperty("camel.management.port", String.valueOf(managementPort));
        p.setProperty("camel.management.metricsEnabled", "true");
        return p;
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
