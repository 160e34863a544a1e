package org.mispsentinel.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.mispsentinel.MispSentinelBeans;
import org.mispsentinel.config.PropertyLookup;
import org.mispsentinel.config.Settings;
import org.mispsentinel.config.SettingsReader;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.DryRunOutput;
import org.mispsentinel.http.ProxySettings;

/**
 * misp-sentinel on camel-main: application.properties, environment and overrides, the YAML routes,
 * and the beans made from the validated settings. Tests boot it exactly as the jar does.
 */
public final class Application implements AutoCloseable {

    private final Main main;
    private MispSentinelBeans beans;

    /**
     * @param overrides  settings that win over application.properties and the environment
     * @param routesDir  directory of *.camel.yaml files, or empty for the copy inside the jar
     */
    public Application(Properties overrides, Optional<Path> routesDir) {
        this.main = new Main();
        main.setOverrideProperties(overrides);
        main.configure().withRoutesIncludePattern(routesDir
                .map(dir -> "file:" + dir.toAbsolutePath() + "/*.camel.yaml")
                .orElse("classpath:routes/*.camel.yaml"));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                bindBeans(m.getCamelContext());
            }
        });
    }

    private void bindBeans(CamelContext context) {
        PropertyLookup lookup = key -> context.getPropertiesComponent().resolveProperty(key);
        Settings settings = Settings.load(lookup);
        SettingsReader reader = new SettingsReader(lookup);
        DryRunOutput dryRun = new DryRunOutput(reader.string("dry-run.output", "-"));
        // Camel's own registry (camel.metrics.enabled), so that /observe/metrics serves both
        MeterRegistry camelMeters = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        beans = new MispSentinelBeans(settings, ProxySettings.load(reader), dryRun, Clock.systemUTC(),
                (name, bean) -> context.getRegistry().bind(name, bean),
                camelMeters != null ? camelMeters : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Where the routes come from: {@code routes/} beside the jar when it exists, else the jar's copy. */
    public static Optional<Path> routesBesideJar() {
        try {
            Path jar = Path.of(Application.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = (Files.isDirectory(jar) ? jar : jar.getParent()).resolve("routes");
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    public void start() throws Exception {
        main.start();
    }

    /** Blocks until SIGTERM/SIGINT; Camel then completes in-flight work within the shutdown timeout. */
    public void runUntilStopped() throws Exception {
        main.run();
    }

    public CycleReport runCycle() {
        return context().createProducerTemplate().requestBody("direct:sync-cycle", null, CycleReport.class);
    }

    public CycleReport replayDeadLetters() {
        return context().createProducerTemplate().requestBody("direct:replay-dead-letters", null, CycleReport.class);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() throws Exception {
        try {
            // SIGTERM lets Camel finish the cycle (main.run); a close while one runs stops its uploads
            // first, so that Camel's shutdown never cuts a batch Sentinel is taking
            if (beans != null) {
                beans.quiesce();
            }
            main.stop();
        } finally {
            if (beans != null) {
                beans.close();
            }
        }
    }
}
