package org.mispsentinel.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code --validate-routes [DIR]}: boots the application on the route files of DIR as a run would,
 * with every route built (endpoints, bean references and property placeholders resolved) but
 * none started, so that a broken edit is caught in CI with its file and line before it ships.
 */
final class RouteValidation {

    /** Placeholders for settings a run must have: validating talks to no MISP and no Sentinel. */
    private static final Map<String, String> REQUIRED = Map.of(
            "misp.url", "https://misp.invalid",
            "misp.api-key", "validate-routes",
            "sentinel.workspace-id", "00000000-0000-0000-0000-000000000000");

    private RouteValidation() {
    }

    /**
     * @param dir the route files to check: those a run would load ({@link Application#routesBesideJar()}),
     *            or those of a directory the command line names; empty for the copy inside the jar
     */
    static int run(Optional<Path> dir, SettingsSources sources, Properties commandLine, PrintStream out,
                   PrintStream err) throws IOException {
        String where;
        if (dir.isPresent()) {
            List<Path> files;
            try (Stream<Path> listed = Files.list(dir.get())) {
                files = listed.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
            } catch (IOException e) {
                err.println("misp-sentinel: " + dir.get() + ": cannot list route files (" + e.getMessage() + ")");
                return Launcher.BAD_CONFIGURATION;
            }
            if (files.isEmpty()) {
                err.println("misp-sentinel: " + dir.get() + ": no *.camel.yaml files");
                return Launcher.FAILED;
            }
            where = files.size() + " files, %d routes in " + dir.get();
        } else {
            where = "%d routes inside the jar (there is no routes/ beside it)";
        }
        Properties settings = sources.resolve(commandLine);
        try (TemporaryDirectory state = TemporaryDirectory.create("misp-sentinel-validate")) {
            Application app = new Application(SettingsSources.isolated(), overrides(settings, state.path()), dir,
                    Clock.systemUTC());
            try {
                app.start();
                out.println("routes valid: " + where.formatted(app.context().getRoutes().size())
                        + " (endpoints, bean references and placeholders resolved)");
                return Launcher.OK;
            } catch (Exception e) {
                err.println("misp-sentinel: " + RouteErrors.locate(e, app.context()));
                return Launcher.FAILED;
            } finally {
                closeQuietly(app);
            }
        }
    }

    private static Properties overrides(Properties settings, Path state) {
        Properties p = new Properties();
        p.putAll(settings);
        REQUIRED.forEach((key, placeholder) -> {
            if (p.getProperty(key, "").isBlank()) {
                p.setProperty(key, placeholder);
            }
        });
        // no token, no upload, no schedule, no server, and a state directory no running instance holds
        p.setProperty("dry-run.enabled", "true");
        p.setProperty("schedule.enabled", "false");
        p.setProperty("camel.management.enabled", "false");
        p.setProperty("camel.main.autoStartup", "false");
        p.setProperty("camel.main.sourceLocationEnabled", "true");
        p.setProperty("state.dir", state.toString());
        return p;
    }

    private static void closeQuietly(Application app) {
        try {
            app.close();
        } catch (Exception e) {
            // the verdict is already printed; a failed stop of a context that never ran says nothing more
        }
    }
}
