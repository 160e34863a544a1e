package org.mispsentinel.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import org.apache.camel.CamelContext;
import org.mispsentinel.observe.BuildInfo;

/**
 * {@code misp_sentinel_build_info{version="...",camel_version="..."} 1} on /observe/metrics, the
 * usual form for a dashboard to show and join on the running version. A Prometheus info metric of
 * its own: Micrometer's Prometheus naming strips an "_info" ending from any meter name, so no
 * Micrometer meter can be served under this name. The jar's (camel-main's) registry only: the
 * bundle does not assume Prometheus is installed.
 */
final class BuildInfoMetric {

    /** The name Camel's micrometer support binds its registry under (as MispSentinelBeans). */
    private static final String CAMEL_METERS = "metricsRegistry";

    private BuildInfoMetric() {
    }

    static void register(CamelContext context) {
        MeterRegistry meters = context.getRegistry().lookupByNameAndType(CAMEL_METERS, MeterRegistry.class);
        if (meters instanceof PrometheusMeterRegistry prometheus) {
            Info.builder().name("misp_sentinel_build_info")
                    .help("misp-sentinel's version and the Apache Camel it runs on")
                    .labelNames("version", "camel_version")
                    .register(prometheus.getPrometheusRegistry())
                    .setLabelValues(BuildInfo.version(), BuildInfo.camelVersion());
        }
    }
}
