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
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.mispsentinel.MispSentinelBeans;
import org.mispsentinel.config.ConfigurationException;

/**
 * The pipeline inside CamelContexts that the runtime makes (Karaf): settings from a configuration
 * map (Config Admin, pid {@value #PID}) over the defaults of {@code application.properties}, with
 * environment variables still winning as in the jar, and route files from a directory or, by
 * default, the bundled copies. Free of OSGi types, so that it is tested as a plain object.
 */
public final class Pipeline {

    public static final String PID = "org.mispsentinel";
    /** Directory of *.camel.yaml route files; empty: the copies inside the bundle. */
    public static final String ROUTES_DIRECTORY = "routes.directory";

    /** Keys Config Admin and Declarative Services add to every configuration: not settings. */
    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "felix.fileinstall.filename", "component.name", "component.id");

    private final Supplier<CamelContext> contexts;
    private CamelContext context;
    private MispSentinelBeans beans;

    /**
     * @param contexts the runtime's CamelContexts: each (re)start gets a new one, because a context
     *                 keeps the beans of removed routes in its caches (Simple's {@code ${bean:...}})
     */
    public Pipeline(Supplier<CamelContext> contexts) {
        this.contexts = contexts;
    }

    public synchronized void activate(Map<String, ?> configuration) throws Exception {
        org.slf4j.LoggerFactory.getLogger(Pipeline.class).info("{} starting", org.mispsentinel.observe.BuildInfo.line());
        context = contexts.get();
        context.getPropertiesComponent().setInitialProperties(settings(configuration));
        try {
            beans = MispSentinelBeans.bindTo(context);
            PluginHelper.getRoutesLoader(context).loadRoutes(routeFiles(configuration));
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

    private Collection<Resource> routeFiles(Map<String, ?> configuration) throws Exception {
        Object dir = configuration.get(ROUTES_DIRECTORY);
        String pattern = dir == null || dir.toString().isBlank() ? "classpath:routes/*.camel.yaml"
                : "file:" + Path.of(dir.toString()).toAbsolutePath() + "/*.camel.yaml";
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
