package org.mispsentinel.pipeline;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.Ownership;
import org.mispsentinel.launcher.Application;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.SentinelStandIn;
import org.mispsentinel.standin.StandInTls;
import org.mispsentinel.standin.StandIns;
import org.mispsentinel.state.RealPostgres;

/**
 * Several instances of the real application (camel-main, the YAML routes, the real beans), each a
 * Camel context of its own with its own ZooKeeper connection, connection pool and state directory,
 * sharing one real ZooKeeper (Curator's TestingServer, in this process, on loopback), one state
 * database (a real PostgreSQL), one MISP stand-in and one Sentinel stand-in per workspace. Cycles and balance rounds are triggered by the test.
 */
final class ZooKeeperCluster extends TestCluster {

    /** ZooKeeper's tick: sessions may be as short as two ticks, so a lost instance is noticed quickly. */
    private static final int TICK_MS = 100;
    static final int SESSION_TIMEOUT_MS = 1_500;

    final InMemoryMispDataset dataset = new InMemoryMispDataset();
    final StandIns standIns;
    final TestingServer zooKeeper;
    /** by workspace name */
    final Map<String, SentinelStandIn> sentinels = new LinkedHashMap<>();
    private final Map<String, String> workspaceIds = new LinkedHashMap<>();
    private final Path temp;
    private final Path trustStore;
    private final Properties extra = new Properties();
    private final RealPostgres.Database database;

    /** @param prefix the workspaces' names: prefix and a number (tests sharing a database keep apart) */
    ZooKeeperCluster(Path temp, RealPostgres.Database database, String prefix, int workspaces) throws Exception {
        this.temp = temp;
        this.database = database;
        this.standIns = StandIns.builder().dataset(dataset).start();
        this.trustStore = StandInTls.writeTrustStore(temp);
        this.zooKeeper = new TestingServer(new InstanceSpec(temp.resolve("zookeeper").toFile(), -1, -1, -1, true, -1,
                TICK_MS, -1), true);
        for (int i = 0; i < workspaces; i++) {
            String id = UUID.nameUUIDFromBytes(("cluster-workspace-" + prefix + i).getBytes()).toString();
            workspaceIds.put(prefix + i, id);
            sentinels.put(prefix + i, SentinelStandIn.builder().workspace(id).tokens(standIns.tokens()).start());
        }
    }

    ZooKeeperCluster set(String key, String value) {
        extra.setProperty(key, value);
        return this;
    }

    @Override
    int workspaceCount() {
        return sentinels.size();
    }

    @Override
    Properties settings(String instance) {
        Properties p = ClusterSettings.instance(standIns.properties(trustStore), temp, instance, database, sentinels,
                workspaceIds);
        // Camel's own bean settings: the cluster service, as an operator writes them
        p.setProperty("camel.beans.clusterService",
                "#class:org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService");
        p.setProperty("camel.beans.clusterService.nodes", "127.0.0.1:" + zooKeeper.getPort());
        p.setProperty("camel.beans.clusterService.basePath", "/misp-sentinel");
        p.setProperty("camel.beans.clusterService.sessionTimeout", String.valueOf(SESSION_TIMEOUT_MS));
        p.setProperty("camel.beans.clusterService.connectTimeout", "1000");
        p.putAll(extra);
        return p;
    }

    /**
     * The instance's ZooKeeper session ends as a crash or a partition ends it: the client hears of it
     * at once, while ZooKeeper keeps its nodes until the session times out, as it would for a
     * process that stopped answering.
     */
    void loseSession(String instance) throws Exception {
        CamelClusterService service = app(instance).context().hasService(CamelClusterService.class);
        // the client the service made for itself from its settings, which it does not hand out
        java.lang.reflect.Field field = ZooKeeperClusterService.class.getDeclaredField("curator");
        field.setAccessible(true);
        ((org.apache.curator.framework.CuratorFramework) field.get(service)).getZookeeperClient().getZooKeeper()
                .getTestable().injectSessionExpiration();
    }

    @Override
    public void close() throws Exception {
        try {
            stopAll();
        } finally {
            sentinels.values().forEach(SentinelStandIn::close);
            standIns.close();
            zooKeeper.close();
        }
    }
}
