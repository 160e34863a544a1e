package org.mispsentinel.pipeline;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.mispsentinel.standin.SentinelStandIn;
import org.mispsentinel.state.RealPostgres;

/**
 * What every instance of a test cluster is configured with, whatever its cluster backend: the shared
 * state database and the workspaces on their Sentinel stand-ins; the backend's own settings are the
 * cluster's to add.
 */
final class ClusterSettings {

    private ClusterSettings() {
    }

    /** The workspaces, each on its own Sentinel stand-in, by name. */
    static void workspaces(Properties p, Map<String, SentinelStandIn> sentinels, Map<String, String> workspaceIds) {
        p.setProperty("workspaces", String.join(",", sentinels.keySet()));
        sentinels.forEach((name, sentinel) -> {
            p.setProperty("workspace." + name + ".sentinel.workspace-id", workspaceIds.get(name));
            p.setProperty("workspace." + name + ".sentinel.api-host",
                    sentinel.apiHost(SentinelStandIn.Endpoint.INDICATORS.commercialHost()));
        });
    }

    /**
     * An instance whose cycles and balance rounds the test triggers, with quick retries, sharing the
     * state database and the workspaces.
     *
     * @param p the stand-ins' settings, which this completes
     */
    static Properties instance(Properties p, Path temp, String instance, RealPostgres.Database database,
                               Map<String, SentinelStandIn> sentinels, Map<String, String> workspaceIds) {
        p.setProperty("state.dir", temp.resolve("state-" + instance).toString());
        // the one name of the instance: its claims in the database and its id in the cluster views
        p.setProperty("state.instance-id", instance);
        p.setProperty("state.store", "postgresql");
        p.setProperty("state.jdbc-url", database.jdbcUrl());
        p.setProperty("state.jdbc-user", database.user());
        p.setProperty("state.jdbc-password", database.password());
        p.setProperty("schedule.enabled", "false");
        p.setProperty("misp.lookback-days", "0");
        p.setProperty("misp.page-size", "40");
        p.setProperty("misp.to-ids-only", "false");
        p.setProperty("misp.retry-delay-ms", "1");
        p.setProperty("sentinel.retry-delay-ms", "1");
        p.setProperty("sentinel.max-retry-delay-ms", "5");
        p.setProperty("sentinel.requests-per-minute", "100000");
        p.setProperty("sentinel.api", "indicators");
        p.setProperty("sentinel.batch-size", "20");
        p.setProperty("shutdown.settle-seconds", "1");
        workspaces(p, sentinels, workspaceIds);
        return p;
    }
}
