package org.mispsentinel.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.mispsentinel.config.ConfigurationException;
import org.mispsentinel.config.Settings;
import org.mispsentinel.config.SettingsReader;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.StateException;
import org.mispsentinel.observe.BuildInfo;
import org.mispsentinel.delivery.StateStore;

/**
 * The command line. Exit codes: 0 everything fetched was delivered or deliberately skipped,
 * 1 something was not delivered (it is retried next run) or the run failed, 2 bad configuration.
 */
public final class Launcher {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_CONFIGURATION = 2;

    private static final String USAGE = """
            usage: java -jar misp-sentinel.jar [--config FILE] [MODE]

              (no mode)              poll MISP on misp.poll-cron until stopped (SIGTERM/Ctrl-C): the batch in flight
                                     gets shutdown.settle-seconds, then exit 0 (1 when it had to be cut)
              --once                 run one cycle, then exit: 0 all delivered, 1 something was not, 2 bad settings
              --dry-run [FILE]       one cycle without uploading: indicators as JSON lines to FILE or stdout
              --demo                 one cycle against built-in MISP, Entra ID and Sentinel stand-ins
              --replay-dead-letters  send the dead-letter file again and keep only what is still refused
              --validate-routes [DIR]  check the route files of DIR (default: those a run loads, routes/ beside the jar
                                     or else the jar's own): exit 0 when every endpoint, bean and placeholder
                                     resolves, else 1 with file:line
              --check                check the settings without delivering anything: MISP and its key, what the
                                     filters match, each workspace's token, upload permission and state directory;
                                     one line a check, exit 0 all passed, 1 one failed, 2 bad settings
              --report [--json]      what each workspace's state says Sentinel holds (delivered, active, revoked,
                                     expiring in 7 days, dead-lettered, checkpoint, last successful cycle); no network,
                                     needs only state.dir (and workspaces); exit 1 when a directory holds no state
              --version              misp-sentinel's version and the Apache Camel it runs on
              --help                 this text

            Settings, highest first: the mode's own, environment variables (misp.url -> MISP_URL; MISP_URL_FILE
            names a file holding the value), the configuration file (--config FILE or MISP_SENTINEL_CONFIG, the
            keys of application.properties.example), the defaults. See README.md for the table.
            """;

    private Launcher() {
    }

    public static void main(String[] args) {
        if (LeanJvm.wanted(ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getenv())) {
            try {
                System.exit(LeanJvm.handOver(args));
            } catch (IOException e) {
                System.err.println("misp-sentinel: warning: could not start java again with its own JVM options ("
                        + e.getMessage() + "); running with the options it was started with");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                System.exit(FAILED);
            }
        }
        LeanJvm.endWithTheFirst();
        System.exit(run(args, new Properties(), System.getenv(), Clock.systemUTC(), System.out, System.err));
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
        return run(args, settings, System.getenv(), clock, out, err);
    }

    /** @param environment the variables the settings are read from (names only are ever printed) */
    static int run(String[] args, Properties settings, Map<String, String> environment, Clock clock, PrintStream out,
                   PrintStream err) {
        Mode mode;
        Optional<Path> configFile;
        try {
            List<String> rest = new ArrayList<>(List.of(args));
            configFile = configOption(rest);
            mode = Mode.parse(rest.toArray(String[]::new));
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
        if (mode.kind() == Mode.Kind.DEMO) {
            if (configFile.isPresent()) {
                err.println("misp-sentinel: --demo reads no configuration file: it runs on its own stand-ins");
                return BAD_CONFIGURATION;
            }
            try {
                return Demo.run(SettingsSources.settingVariables(environment), out);
            } catch (Throwable t) {
                return fail(t, err);
            }
        }
        SettingsSources sources = SettingsSources.of(environment, configFile);
        warnUnknown(sources, err);
        Properties commandLine = with(mode.overrides(), settings);
        try {
            return switch (mode.kind()) {
                case VALIDATE_ROUTES -> RouteValidation.run(mode.routesDir() != null ? Optional.of(mode.routesDir())
                        : Application.routesBesideJar(), sources, commandLine, out, err);
                case CHECK -> Check.run(sources, commandLine, out);
                case SCHEDULED -> scheduled(sources, commandLine, clock);
                case REPLAY -> once(sources, commandLine, clock, Application::replayDeadLetters);
                case REPORT -> Report.run(sources, commandLine, clock, mode.json(), out, err);
                case DRY_RUN -> dryRun(sources, commandLine, clock);
                default -> once(sources, commandLine, clock, Application::runCycle);
            };
        } catch (Throwable t) {
            return fail(t, err);
        }
    }

    /** Takes {@code --config FILE} (or {@code --config=FILE}) out of the arguments, wherever it is. */
    private static Optional<Path> configOption(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--config=")) {
                args.remove(i);
                return Optional.of(Path.of(arg.substring("--config=".length())));
            }
            if (arg.equals("--config")) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new IllegalArgumentException("--config takes a file name");
                }
                Path file = Path.of(args.get(i + 1));
                args.remove(i + 1);
                args.remove(i);
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** A variable of this product's prefixes or a key of the file that no setting has is a typo, most likely. */
    private static void warnUnknown(SettingsSources sources, PrintStream err) {
        for (String variable : sources.unknownVariables()) {
            err.println("misp-sentinel: warning: environment variable " + variable
                    + " is not a setting of misp-sentinel and is ignored (a typo?)");
        }
        for (String key : sources.unknownFileKeys()) {
            err.println("misp-sentinel: warning: " + key + " in " + sources.file().orElseThrow()
                    + " is not a setting of misp-sentinel and is ignored (a typo?)");
        }
    }

    /**
     * A dry run reads the state a run would (its checkpoint says where reading starts, its ledger what
     * was sent) and changes none of it: it runs on a copy in a temporary directory that it removes.
     * Opening the state itself could change it (a mapping change forgets what was delivered); without
     * state yet it reads as a first run does, and leaves no directory behind.
     */
    private static int dryRun(SettingsSources sources, Properties commandLine, Clock clock) throws Exception {
        Map<String, Path> dirs;
        boolean several;
        try (MainProperties properties = new MainProperties(sources, commandLine)) {
            dirs = Settings.stateDirs(properties.lookup());
            several = !new SettingsReader(properties.lookup()).list("workspaces").isEmpty();
        }
        try (TemporaryDirectory copy = TemporaryDirectory.create("misp-sentinel-dry-run")) {
            Path temporary = copy.path();
            for (Map.Entry<String, Path> workspace : dirs.entrySet()) {
                if (Files.exists(workspace.getValue().resolve(StateStore.FILE_NAME))) {
                    StateStore.copy(workspace.getValue(), several ? temporary.resolve(workspace.getKey()) : temporary);
                }
            }
            Properties onCopy = with(commandLine, new Properties());
            onCopy.setProperty("state.dir", temporary.toString());
            return once(sources, onCopy, clock, Application::runCycle);
        }
    }

    private static Properties with(Properties base, Properties extra) {
        Properties all = new Properties();
        all.putAll(base);
        all.putAll(extra);
        return all;
    }

    /** Exit 0 after a clean stop; 1 when a batch had to be cut at shutdown.settle-seconds. */
    private static int scheduled(SettingsSources sources, Properties commandLine, Clock clock) throws Exception {
        StopSignal signal = StopSignal.install();
        try (Application app = new Application(sources, commandLine, Application.routesBesideJar(), clock)) {
            app.start();
            signal.await();
            return app.stopDelivery() ? OK : FAILED;
        } finally {
            signal.stopped();
        }
    }

    private static int once(SettingsSources sources, Properties commandLine, Clock clock,
                            java.util.function.Function<Application, CycleReport> what) throws Exception {
        try (Application app = new Application(sources, commandLine, Application.routesBesideJar(), clock)) {
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
            if (c instanceof ConfigurationException e) {
                e.problems().forEach(problem -> err.println("misp-sentinel: configuration error: " + problem));
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
