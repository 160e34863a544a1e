package org.mispsentinel.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    private static final List<String[]> REQUIRED = List.of(
            new String[] {"misp.url", "MISP_URL", "https://misp.invalid"},
            new String[] {"misp.api-key", "MISP_API_KEY", "validate-routes"},
            new String[] {"sentinel.workspace-id", "SENTINEL_WORKSPACE_ID", "00000000-0000-0000-0000-000000000000"});

    private RouteValidation() {
    }

    static int run(Path dir, Properties settings, PrintStream out, PrintStream err) throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (IOException e) {
            err.println("misp-sentinel: " + dir + ": cannot list route files (" + e.getMessage() + ")");
            return Launcher.BAD_CONFIGURATION;
        }
        if (files.isEmpty()) {
            err.println("misp-sentinel: " + dir + ": no *.camel.yaml files");
            return Launcher.FAILED;
        }
        Path state = Files.createTempDirectory("misp-sentinel-validate");
        Application app = new Application(overrides(settings, state), Optional.of(dir));
        try {
            app.start();
            long routes = app.context().getRoutes().size();
            out.println("routes valid: " + files.size() + " files, " + routes + " routes in " + dir
                    + " (endpoints, bean references and placeholders resolved)");
            return Launcher.OK;
        } catch (Exception e) {
            err.println("misp-sentinel: " + RouteErrors.locate(e, app.context()));
            return Launcher.FAILED;
        } finally {
            closeQuietly(app);
            deleteQuietly(state);
        }
    }

    private static Properties overrides(Properties settings, Path state) {
        Properties p = new Properties();
        for (String[] required : REQUIRED) {
            String env = System.getenv(required[1]);
            if ((env == null || env.isBlank()) && settings.getProperty(required[0], "").isBlank()) {
                p.setProperty(required[0], required[2]);
            }
        }
        p.putAll(settings);
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

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the system cleans it up eventually
        }
    }
}
