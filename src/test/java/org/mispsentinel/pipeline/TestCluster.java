package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.Ownership;
import org.mispsentinel.launcher.Application;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.SentinelStandIn;
import org.mispsentinel.standin.StandInTls;
import org.mispsentinel.standin.StandIns;
import org.mispsentinel.state.RealPostgres;

/**
 * The running instances of a test cluster, whatever its backend: each the real application with its
 * own Camel context, started from the settings the backend's cluster gives it.
 */
abstract class TestCluster implements AutoCloseable {

    final InMemoryMispDataset dataset = new InMemoryMispDataset();
    final StandIns standIns;
    /** by workspace name */
    final Map<String, SentinelStandIn> sentinels = new LinkedHashMap<>();
    final Map<String, String> workspaceIds = new LinkedHashMap<>();
    final Path temp;
    final Path trustStore;
    final RealPostgres.Database database;
    private final Map<String, Application> instances = new LinkedHashMap<>();

    /**
     * The MISP and Entra ID stand-ins and a Sentinel stand-in per workspace, which the backend's
     * cluster shares among its instances.
     *
     * @param prefix the workspaces' names: prefix and a number (tests sharing a database keep apart)
     */
    TestCluster(Path temp, RealPostgres.Database database, String prefix, int workspaces) throws Exception {
        this.temp = temp;
        this.database = database;
        this.standIns = StandIns.builder().dataset(dataset).start();
        this.trustStore = StandInTls.writeTrustStore(temp);
        for (int i = 0; i < workspaces; i++) {
            String id = UUID.nameUUIDFromBytes(("cluster-workspace-" + prefix + i).getBytes()).toString();
            workspaceIds.put(prefix + i, id);
            sentinels.put(prefix + i, SentinelStandIn.builder().workspace(id).tokens(standIns.tokens()).start());
        }
    }

    abstract Properties settings(String instance);

    /** What every instance is configured with, before the backend's own cluster service settings. */
    Properties sharedSettings(String instance) {
        return ClusterSettings.instance(standIns.properties(trustStore), temp, instance, database, sentinels, workspaceIds);
    }

    /** The backend itself (ZooKeeper, the Kubernetes API), stopped after the instances and stand-ins. */
    abstract void closeBackend() throws Exception;

    int workspaceCount() {
        return sentinels.size();
    }

    /** What a failed wait for the spread should say beside the owners (the backend's own view). */
    String backendView() {
        return "";
    }

    Application start(String instance) throws Exception {
        Application app = new Application(settings(instance), Optional.of(Path.of("routes")), Clock.systemUTC());
        app.start();
        instances.put(instance, app);
        return app;
    }

    Application app(String instance) {
        return instances.get(instance);
    }

    List<String> running() {
        return new ArrayList<>(instances.keySet());
    }

    Ownership ownership(String instance) {
        return app(instance).context().getRegistry().lookupByNameAndType("ownership", Ownership.class);
    }

    /** The workspaces each running instance owns now. */
    Map<String, List<String>> owners() {
        Map<String, List<String>> owned = new LinkedHashMap<>();
        instances.forEach((name, app) -> owned.put(name, List.copyOf(ownership(name).owned())));
        return owned;
    }

    /** One balance round on every running instance (the route the schedule triggers). */
    void balance() {
        instances.values().forEach(app -> app.context().createProducerTemplate()
                .sendBody("direct:cluster-balance", null));
    }

    /** Balance rounds, every {@code poll}, until every running instance owns {@code each} workspaces. */
    void awaitSpread(int each, Duration atMost, Duration poll) {
        await().atMost(atMost).pollInterval(poll).untilAsserted(() -> {
            balance();
            Map<String, List<String>> owners = owners();
            assertThat(owners.values()).as("workspaces by instance: %s%s", owners, backendView())
                    .allSatisfy(owned -> assertThat(owned).hasSize(each));
            assertThat(owners.values().stream().flatMap(List::stream).distinct().count()).isEqualTo(workspaceCount());
        });
    }

    CycleReport runCycle(String instance) {
        return app(instance).runCycle();
    }

    /** Stops an instance (its state stays where it is kept). */
    void stop(String instance) throws Exception {
        Application app = instances.remove(instance);
        if (app != null) {
            app.close();
        }
    }

    void stopAll() throws Exception {
        for (String name : running()) {
            stop(name);
        }
    }

    @Override
    public final void close() throws Exception {
        try {
            stopAll();
        } finally {
            sentinels.values().forEach(SentinelStandIn::close);
            standIns.close();
            closeBackend();
        }
    }
}
