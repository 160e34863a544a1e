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
import org.mispsentinel.standin.StandInTls;
import org.mispsentinel.standin.StandIns;
import org.mispsentinel.standin.SyntheticDataset;

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
        Path dir = Files.createTempDirectory("misp-sentinel-demo");
        try (StandIns standIns = StandIns.builder().dataset(new SyntheticDataset(42, ATTRIBUTES)).start()) {
            Properties settings = standIns.properties(StandInTls.writeTrustStore(dir));
            settings.setProperty("state.dir", dir.resolve("state").toString());
            settings.setProperty("schedule.enabled", "false");
            settings.setProperty("misp.lookback-days", "0");
            settings.setProperty("misp.page-size", "200");
            out.println("demo: stand-ins for MISP (" + standIns.misp().baseUrl() + ", " + ATTRIBUTES
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
            out.println("Sentinel stand-in holds " + standIns.sentinel().acceptedCount() + " indicators from "
                    + standIns.sentinel().requests() + " upload requests; Entra ID issued "
                    + standIns.entra().tokenRequests() + " token(s). One of the indicators:");
            standIns.sentinel().accepted().values().stream().findFirst().ifPresent(i -> out.println(pretty(i)));
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
