package org.mispsentinel.pipeline;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
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

    final TestingServer zooKeeper;
    private final Properties extra = new Properties();

    /** @param prefix the workspaces' names: prefix and a number (tests sharing a database keep apart) */
    ZooKeeperCluster(Path temp, RealPostgres.Database database, String prefix, int workspaces) throws Exception {
        super(temp, database, prefix, workspaces);
        this.zooKeeper = new TestingServer(new InstanceSpec(temp.resolve("zookeeper").toFile(), -1, -1, -1, true, -1,
                TICK_MS, -1), true);
    }

    ZooKeeperCluster set(String key, String value) {
        extra.setProperty(key, value);
        return this;
    }

    @Override
    Properties settings(String instance) {
        Properties p = sharedSettings(instance);
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
    void closeBackend() throws Exception {
        zooKeeper.close();
    }
}
