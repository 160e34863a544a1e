package org.mispsentinel.osgi;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.apache.camel.CamelContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * What the estate reads of a running pipeline, published as OSGi services with {@code name=misp-sentinel}:
 * the Micrometer registry holding the {@code misp_sentinel_*} series (for the estate's own
 * exporter, e.g. a Prometheus registry it composes) and the readiness health check (also in the
 * context's Camel health check registry, and so in Camel's JMX health MBean). Withdrawn whenever
 * the pipeline stops, because each start makes them anew.
 */
final class EstateServices {

    static final String NAME = "misp-sentinel";
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
    private static final String HEALTH_CHECK = "org.apache.camel.health.HealthCheck";

    private final BundleContext bundleContext;
    private final List<ServiceRegistration<?>> published = new ArrayList<>();

    EstateServices(BundleContext bundleContext) {
        this.bundleContext = bundleContext;
    }

    synchronized void publish(CamelContext context) {
        publish(METER_REGISTRY, context.getRegistry().lookupByName("metricsRegistry"));
        publish(HEALTH_CHECK, context.getRegistry().lookupByName("readinessCheck"));
    }

    private void publish(String type, Object service) {
        if (service != null) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("name", NAME);
            published.add(bundleContext.registerService(type, service, properties));
        }
    }

    synchronized void withdraw() {
        for (ServiceRegistration<?> registration : published) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopping unregisters its services first
            }
        }
        published.clear();
    }
}
