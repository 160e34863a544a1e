package org.mispsentinel.launcher;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import org.mispsentinel.config.ConfigurationException;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.StateException;
import org.mispsentinel.observe.BuildInfo;

/**
 * The command line. Exit codes: 0 everything fetched was delivered or deliberately skipped,
 * 1 something was not delivered (it is retried next run) or the run failed, 2 bad configuration.
 */
public final class Launcher {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_CONFIGURATION = 2;

    private static final String USAGE = """
            usage: java -jar misp-sentinel.jar [MODE]

              (no mode)              poll MISP on misp.poll-cron until stopped (SIGTERM/Ctrl-C): the batch in flight
                                     gets shutdown.settle-seconds, then exit 0 (1 when it had to be cut)
              --once                 run one cycle, then exit: 0 all delivered, 1 something was not, 2 bad settings
              --dry-run [FILE]       one cycle without uploading: indicators as JSON lines to FILE or stdout
              --demo                 one cycle against built-in MISP, Entra ID and Sentinel stand-ins
              --replay-dead-letters  send the dead-letter file again and keep only what is still refused
              --validate-routes [DIR]  check the route files of DIR (default: routes/ beside the jar): exit 0 when every
                                     endpoint, bean and placeholder resolves, else 1 with file:line
              --check                check the settings without delivering anything: MISP and its key, what the
                                     filters match, each workspace's token, upload permission and state directory;
                                     one line a check, exit 0 all passed, 1 one failed, 2 bad settings
              --report [--json]      what each workspace's state says Sentinel holds (delivered, active, revoked,
                                     expiring in 7 days, dead-lettered, checkpoint, last successful cycle); no network
              --version              misp-sentinel's version and the Apache Camel it runs on
              --help                 this text

            Settings come from application.properties, overridden by environment variables
            (misp.url -> MISP_URL); see README.md for the table.
            """;

    private Launcher() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, new Properties(), out, err);
    }

    /** @param settings overrides on top of the mode's own (tests point it at the stand-ins) */
    static int run(String[] args, Properties settings, PrintStream out, PrintStream err) {
        return run(args, settings, Clock.systemUTC(), out, err);
    }

    /**
     * As the command line runs, for embedding and tests.
     *
     * @param clock "now" of {@code --report} (what is active, what expires within 7 days)
     */
    public static int run(String[] args, Properties settings, Clock clock, PrintStream out, PrintStream err) {
        Mode mode;
        try {
            mode = Mode.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("misp-sentinel: " + e.getMessage());
            err.print(USAGE);
            return BAD_CONFIGURATION;
        }
        if (mode.kind() == Mode.Kind.HELP) {
            out.print(USAGE);
            return OK;
        }
        if (mode.kind() == Mode.Kind.VERSION) {
            out.println(BuildInfo.line());
            return OK;
        }
        try {
            return switch (mode.kind()) {
                case DEMO -> Demo.run(out);
                case VALIDATE_ROUTES -> RouteValidation.run(mode.routesDir() != null ? mode.routesDir()
                        : Application.routesBesideJar().orElse(java.nio.file.Path.of("routes")), settings, out, err);
                case CHECK -> Check.run(with(mode.overrides(), settings), out);
                case SCHEDULED -> scheduled(with(mode.overrides(), settings));
                case REPLAY -> once(with(mode.overrides(), settings), Application::replayDeadLetters);
                case REPORT -> Report.run(MainProperties.settings(with(mode.overrides(), settings)), clock, mode.json(), out);
                default -> once(with(mode.overrides(), settings), Application::runCycle);
            };
        } catch (Throwable t) {
            return fail(t, err);
        }
    }

    private static Properties with(Properties base, Properties extra) {
        Properties all = new Properties();
        all.putAll(base);
        all.putAll(extra);
        return all;
    }

    /** Exit 0 after a clean stop; 1 when a batch had to be cut at shutdown.settle-seconds. */
    private static int scheduled(Properties overrides) throws Exception {
        StopSignal signal = StopSignal.install();
        try (Application app = new Application(overrides, Application.routesBesideJar())) {
            app.start();
            signal.await();
            return app.stopDelivery() ? OK : FAILED;
        } finally {
            signal.stopped();
        }
    }

    private static int once(Properties overrides, java.util.function.Function<Application, CycleReport> what)
            throws Exception {
        try (Application app = new Application(overrides, Application.routesBesideJar())) {
            app.start();
            CycleReport report = what.apply(app);
            if (report == null) {
                return FAILED;
            }
            return report.exitCode();
        }
    }

    static int fail(Throwable t, PrintStream err) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConfigurationException) {
                err.println("misp-sentinel: configuration error: " + c.getMessage());
                return BAD_CONFIGURATION;
            }
            if (c instanceof StateException) {
                err.println("misp-sentinel: " + c.getMessage());
                return BAD_CONFIGURATION;
            }
        }
        err.println("misp-sentinel: failed: " + t.getClass().getSimpleName()
                + Optional.ofNullable(t.getMessage()).map(m -> ": " + m).orElse(""));
        return FAILED;
    }
}
