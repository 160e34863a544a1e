package org.mispsentinel.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.mispsentinel.MispSentinelBeans;
import org.mispsentinel.delivery.CycleReport;

/**
 * misp-sentinel on camel-main: the settings of {@link SettingsSources}, the YAML routes, and the
 * beans made from the validated settings. Tests boot it exactly as the jar does.
 */
public final class Application implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Application.class);

    private final Main main;
    private final Clock clock;
    private final Clock hostClock;
    private MispSentinelBeans beans;

    /**
     * @param overrides  settings that win over the environment, the configuration file and the defaults
     * @param routesDir  directory of *.camel.yaml files, or empty for the copy inside the jar
     */
    public Application(Properties overrides, Optional<Path> routesDir) {
        this(overrides, routesDir, Clock.systemUTC());
    }

    /** @param clock the application's clock (tests move it to cross days without waiting) */
    public Application(Properties overrides, Optional<Path> routesDir, Clock clock) {
        this(SettingsSources.standard(), overrides, routesDir, clock, Clock.systemUTC());
    }

    /**
     * @param clock     the application's clock (tests move it to cross days without waiting)
     * @param hostClock this host's clock, which MISP's Date header is judged against (tests set it apart
     *                  from the stand-ins' real time to play a MISP whose clock disagrees)
     */
    public Application(Properties overrides, Optional<Path> routesDir, Clock clock, Clock hostClock) {
        this(SettingsSources.standard(), overrides, routesDir, clock, hostClock);
    }

    /** @param commandLine the mode's settings, which win over every other source */
    Application(SettingsSources sources, Properties commandLine, Optional<Path> routesDir, Clock clock) {
        this(sources, commandLine, routesDir, clock, Clock.systemUTC());
    }

    private Application(SettingsSources sources, Properties commandLine, Optional<Path> routesDir, Clock clock,
                        Clock hostClock) {
        this.clock = clock;
        this.hostClock = hostClock;
        this.main = new Main();
        main.setOverrideProperties(sources.resolve(commandLine));
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
        beans = MispSentinelBeans.bindTo(context, clock, hostClock);
        BuildInfoMetric.register(context);
    }

    /**
     * Where the routes come from: {@code routes/} beside the jar when it exists, or, for the jar in
     * the {@code lib/} of an unpacked distribution archive, the archive's {@code routes/}; else the
     * jar's copy.
     */
    public static Optional<Path> routesBesideJar() {
        try {
            Path jar = Path.of(Application.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path home = Files.isDirectory(jar) ? jar : jar.getParent();
            Path dir = home.resolve("routes");
            if (!Files.isDirectory(dir) && home.endsWith("lib") && home.getParent() != null) {
                dir = home.getParent().resolve("routes");
            }
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    public void start() throws Exception {
        // the first line of every run: which build produced what follows
        LOG.info("{} starting", org.mispsentinel.observe.BuildInfo.line());
        main.start();
    }

    /**
     * Stops delivery before the routes stop: the batch in flight settles within
     * {@code shutdown.settle-seconds} and the cycle ends with its summary. {@link #close} does it too.
     *
     * @return whether the stop was clean (no batch had to be cut)
     */
    public boolean stopDelivery() {
        return beans == null || beans.quiesce();
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
            // a close while a cycle runs stops its uploads first, so that Camel's shutdown never
            // cuts a batch Sentinel is taking
            stopDelivery();
            main.stop();
        } finally {
            if (beans != null) {
                beans.close();
            }
        }
    }
}
