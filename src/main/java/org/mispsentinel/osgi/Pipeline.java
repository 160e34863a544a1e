package org.mispsentinel.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.mispsentinel.MispSentinelBeans;
import org.mispsentinel.config.ConfigurationException;

/**
 * The pipeline inside CamelContexts that the runtime makes (Karaf): settings from a configuration
 * map (Config Admin, pid {@value #PID}) over the defaults of {@code application.properties}, with
 * environment variables still winning as in the jar, and route files from a directory or, by
 * default, the copies the runtime finds inside the bundle. Free of OSGi types, so that it is tested
 * as a plain object.
 */
public final class Pipeline {

    public static final String PID = "org.mispsentinel";
    /** Directory of *.camel.yaml route files; empty: the copies inside the bundle. */
    public static final String ROUTES_DIRECTORY = "routes.directory";

    /** Keys Config Admin and Declarative Services add to every configuration: not settings. */
    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "felix.fileinstall.filename", "component.name", "component.id");

    private final Supplier<CamelContext> contexts;
    private final Supplier<Collection<Resource>> bundledRoutes;
    private CamelContext context;
    private MispSentinelBeans beans;

    /**
     * With the bundled route files found on the class path, as a plain JVM (the tests) finds them.
     *
     * @param contexts the runtime's CamelContexts: each (re)start gets a new one, because a context
     *                 keeps the beans of removed routes in its caches (Simple's {@code ${bean:...}})
     */
    public Pipeline(Supplier<CamelContext> contexts) {
        this(contexts, null);
    }

    /**
     * @param bundledRoutes the route files inside the bundle, read by the runtime: class path
     *                      scanning finds none inside an OSGi bundle
     */
    public Pipeline(Supplier<CamelContext> contexts, Supplier<Collection<Resource>> bundledRoutes) {
        this.contexts = contexts;
        this.bundledRoutes = bundledRoutes;
    }

    public synchronized void activate(Map<String, ?> configuration) throws Exception {
        org.slf4j.LoggerFactory.getLogger(Pipeline.class).info("{} starting", org.mispsentinel.observe.BuildInfo.line());
        context = contexts.get();
        context.getPropertiesComponent().setInitialProperties(settings(configuration));
        try {
            beans = MispSentinelBeans.bindTo(context);
            PluginHelper.getRoutesLoader(context).loadRoutes(routeFiles(configuration));
            registerReadiness();
            context.start();
        } catch (Exception e) {
            // a bad setting or a route file that does not load must not leave the state store locked
            stop();
            throw e;
        }
    }

    /** A new configuration or edited route files: the routes restart, the state directory stays. */
    public synchronized void modified(Map<String, ?> configuration) throws Exception {
        stop();
        activate(configuration);
    }

    public synchronized void deactivate() throws Exception {
        stop();
    }

    /** The context the pipeline runs in now (empty when stopped). */
    public synchronized Optional<CamelContext> context() {
        return Optional.ofNullable(context);
    }

    private void stop() throws Exception {
        if (context == null) {
            return;
        }
        try {
            if (beans != null) {
                // as in the jar: the upload in flight is settled before its route stops
                beans.quiesce();
            }
            context.close();
        } finally {
            context = null;
            if (beans != null) {
                MispSentinelBeans closing = beans;
                beans = null;
                closing.close();
            }
        }
    }

    /**
     * camel-main puts the registry's health checks into Camel's health check registry; a bare
     * context does not, so readiness is registered here, where the estate's tools (JMX, the
     * context's HealthCheckRegistry) read it.
     */
    private void registerReadiness() {
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        HealthCheck readiness = context.getRegistry().lookupByNameAndType("readinessCheck", HealthCheck.class);
        if (health != null && readiness != null) {
            health.register(readiness);
        }
    }

    /** The directory's route files when {@value #ROUTES_DIRECTORY} is set, else the bundled ones. */
    public static Optional<Path> routesDirectory(Map<String, ?> configuration) {
        Object dir = configuration.get(ROUTES_DIRECTORY);
        return dir == null || dir.toString().isBlank() ? Optional.empty() : Optional.of(Path.of(dir.toString()).toAbsolutePath());
    }

    private Collection<Resource> routeFiles(Map<String, ?> configuration) throws Exception {
        Optional<Path> dir = routesDirectory(configuration);
        if (dir.isEmpty() && bundledRoutes != null) {
            Collection<Resource> files = bundledRoutes.get();
            if (files.isEmpty()) {
                throw new IllegalStateException("the bundle holds no routes/*.camel.yaml: it was built without its route files");
            }
            return files;
        }
        String pattern = dir.map(d -> "file:" + d + "/*.camel.yaml").orElse("classpath:routes/*.camel.yaml");
        Collection<Resource> files = PluginHelper.getPackageScanResourceResolver(context).findResources(pattern);
        if (files.isEmpty()) {
            throw new ConfigurationException(ROUTES_DIRECTORY, "no *.camel.yaml route files in " + pattern);
        }
        return files;
    }

    private static Properties settings(Map<String, ?> configuration) {
        Properties settings = new Properties();
        try (InputStream defaults = Pipeline.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (defaults != null) {
                settings.load(defaults);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        configuration.forEach((key, value) -> {
            if (value != null && !FRAMEWORK_KEYS.contains(key)) {
                settings.setProperty(key, value.toString());
            }
        });
        return settings;
    }
}
