package org.mispsentinel.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.mispsentinel.delivery.CycleReport;

/**
 * {@code --demo}: the real routes and beans against in-process HTTPS stand-ins for MISP, Entra ID
 * and Sentinel on loopback, with synthetic events, so a new user sees a whole cycle with no account.
 * A second cycle shows that nothing is sent twice.
 */
final class Demo {

    private static final int ATTRIBUTES = 500;

    private Demo() {
    }

    static int run(PrintStream out) throws Exception {
        DemoEstate estate = DemoEstate.find().orElse(null);
        if (estate == null) {
            System.err.println("misp-sentinel: --demo needs the stand-ins, which only the runnable jar carries");
            return Launcher.FAILED;
        }
        Path dir = Files.createTempDirectory("misp-sentinel-demo");
        try (estate) {
            estate.start(ATTRIBUTES);
            Properties settings = estate.settings(dir);
            settings.setProperty("state.dir", dir.resolve("state").toString());
            settings.setProperty("schedule.enabled", "false");
            settings.setProperty("misp.lookback-days", "0");
            settings.setProperty("misp.page-size", "200");
            out.println("demo: stand-ins for MISP (" + estate.mispUrl() + ", " + ATTRIBUTES
                    + " synthetic attributes), Entra ID and Sentinel on loopback; state in " + dir);
            CycleReport first;
            CycleReport second;
            try (Application app = new Application(settings, Application.routesBesideJar())) {
                app.start();
                first = app.runCycle();
                second = app.runCycle();
            }
            out.println("first cycle:  " + first.summary());
            out.println("second cycle: " + second.summary());
            out.println("Sentinel stand-in holds " + estate.indicatorsHeld() + " indicators from "
                    + estate.uploadRequests() + " upload requests; Entra ID issued "
                    + estate.tokensIssued() + " token(s). One of the indicators:");
            estate.anyIndicator().ifPresent(i -> out.println(pretty(i)));
            return first.exitCode() == 0 && second.delivered() == 0 ? Launcher.OK : Launcher.FAILED;
        } finally {
            deleteTree(dir);
        }
    }

    private static String pretty(JsonNode node) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return node.toString();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
