package org.mispsentinel.osgi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the pipeline in Karaf once {@code etc/org.mispsentinel.cfg} exists, restarts its routes when
 * the file or a route file in {@code routes.directory} changes, and stops them when the bundle stops.
 * A start that fails (a bad setting, a route file that does not load) leaves the component active
 * and waiting with the reason in the log: Declarative Services would never again call a component
 * whose activation threw, so a corrected file would be ignored until {@code bundle:restart}.
 * <p>
 * The context is an {@code OsgiDefaultCamelContext} of the estate's camel-karaf: only that kind
 * finds the components, languages, type converters and the YAML routes loader that live in other
 * bundles. It is the bundle's own, so that its routes, beans and properties never mix with the
 * estate's other integrations.
 */
@Component(configurationPid = Pipeline.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public final class MispSentinelComponent {

    private static final Logger LOG = LoggerFactory.getLogger(MispSentinelComponent.class);

    private Pipeline pipeline;
    private EstateServices services;
    private Map<String, Object> configuration;
    private RouteFilesWatcher watcher;
    private boolean stopped;

    private static CamelContext newContext(BundleContext bundleContext) {
        OsgiDefaultCamelContext camel = new OsgiDefaultCamelContext(bundleContext);
        camel.getCamelContextExtension().setName("misp-sentinel");
        // classes named in route files (#class:...) resolve through the bundle's imports
        camel.setApplicationContextClassLoader(MispSentinelComponent.class.getClassLoader());
        return camel;
    }

    @Activate
    synchronized void activate(BundleContext bundleContext, Map<String, Object> configuration) {
        Bundle bundle = bundleContext.getBundle();
        pipeline = new Pipeline(() -> newContext(bundleContext), () -> BundleRouteFiles.read(bundle));
        services = new EstateServices(bundleContext);
        apply(configuration);
    }

    @Modified
    synchronized void modified(Map<String, Object> configuration) {
        apply(configuration);
    }

    @Deactivate
    synchronized void deactivate() {
        stopped = true;
        stopWatching();
        services.withdraw();
        try {
            pipeline.deactivate();
            LOG.info("misp-sentinel stopped; the state directory is released");
        } catch (Exception e) {
            LOG.error("misp-sentinel did not stop cleanly: {}", reason(e));
        }
    }

    private void apply(Map<String, Object> configuration) {
        this.configuration = configuration;
        watch(Pipeline.routesDirectory(configuration));
        start();
    }

    private synchronized void routeFilesChanged(RouteFilesWatcher source) {
        if (stopped || source != watcher) {
            return;
        }
        LOG.info("a route file in {} changed: the routes restart with it", source.directory());
        start();
    }

    /** Stops what runs and starts with the current configuration and route files; on failure, waits. */
    private void start() {
        services.withdraw();
        try {
            pipeline.modified(configuration);
            services.publish(pipeline.context().orElseThrow());
        } catch (Exception e) {
            LOG.error("misp-sentinel is waiting: {}. It starts when etc/{}.cfg{} changes", reason(e), Pipeline.PID,
                    watcher == null ? "" : " or a route file in " + watcher.directory());
            LOG.debug("the start that failed", e);
        }
    }

    private void watch(Optional<Path> directory) {
        if (watcher != null && directory.isPresent() && Objects.equals(watcher.directory(), directory.get())) {
            return;
        }
        stopWatching();
        if (directory.isPresent()) {
            try {
                RouteFilesWatcher[] self = new RouteFilesWatcher[1];
                self[0] = RouteFilesWatcher.start(directory.get(), () -> routeFilesChanged(self[0]));
                watcher = self[0];
            } catch (IOException e) {
                LOG.error("cannot watch the route files in {} ({}): edited route files are read at the next change "
                        + "of etc/{}.cfg", directory.get(), e, Pipeline.PID);
            }
        }
    }

    private void stopWatching() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.debug("closing the route files watcher", e);
            }
            watcher = null;
        }
    }

    /** The failure and its first cause, which names the setting or the route file and line. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = String.valueOf(e.getMessage());
        return root == e || reason.contains(String.valueOf(root.getMessage())) ? reason
                : reason + " (" + root.getMessage() + ")";
    }
}
