package org.mispsentinel.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
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

    /**
     * @param ignored the exported settings a run would read: the demo reads none of them (its
     *                stand-ins' settings come first, and the rest are defaults), and names them
     */
    static int run(List<String> ignored, PrintStream out) throws Exception {
        DemoEstate estate = DemoEstate.find().orElse(null);
        if (estate == null) {
            System.err.println("misp-sentinel: --demo needs the stand-ins, which only the runnable jar carries");
            return Launcher.FAILED;
        }
        if (!ignored.isEmpty()) {
            out.println("demo: ignoring the exported " + String.join(", ", ignored) + ": the demo talks only to"
                    + " its own stand-ins and keeps its state in a temporary directory");
        }
        try (estate; TemporaryDirectory temporary = TemporaryDirectory.create("misp-sentinel-demo")) {
            Path dir = temporary.path();
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
            try (Application app = new Application(SettingsSources.isolated(), settings, Application.routesBesideJar(),
                    Clock.systemUTC())) {
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
            out.print(whatItShowed(first, second));
            return first.exitCode() == 0 && second.delivered() == 0 ? Launcher.OK : Launcher.FAILED;
        }
    }

    /** The cycles' numbers in words, and the way from here to a real MISP and workspace. */
    private static String whatItShowed(CycleReport first, CycleReport second) {
        String skipped = first.skippedTotal() == 0 ? "" : ", " + first.skippedTotal() + " attributes were skipped "
                + new TreeMap<>(first.skipped()) + " (each reason a counter in the summary)";
        return "\nWhat this showed:\n"
                + "- the stand-in MISP holds " + ATTRIBUTES + " attributes, of which " + first.fetched() + " are flagged"
                + " to_ids (meant for detection); only those are read (misp.to-ids-only), the rest is context\n"
                + "- they became " + first.indicators() + " indicators" + extra(first) + ": an attribute of two values"
                + " (filename|sha256, domain|ip, ip-dst|port...) gives one indicator for each value" + skipped + "\n"
                + "- " + first.delivered() + " were uploaded in " + first.batches() + " requests with one token; the"
                + " second cycle read from the checkpoint and sent " + second.delivered() + ": nothing is sent twice\n"
                + "\nWith a real MISP and workspace: set MISP_URL, MISP_API_KEY, AZURE_TENANT_ID, AZURE_CLIENT_ID,"
                + " AZURE_CLIENT_SECRET and SENTINEL_WORKSPACE_ID (or write them in a file for --config), then\n"
                + "  java -jar misp-sentinel.jar --check      every connection and permission, one line each\n"
                + "  java -jar misp-sentinel.jar --dry-run    the indicators a first run would send, as JSON lines\n"
                + "  java -jar misp-sentinel.jar --once       one real cycle; then without an option, on a schedule\n"
                + "(README.md, \"From the demo to a real workspace\").\n";
    }

    /** How many more indicators than mapped attributes: those of the paired attributes' second values. */
    private static String extra(CycleReport report) {
        long more = report.indicators() - (report.fetched() - report.notToIds() - report.skippedTotal());
        return more > 0 ? ", " + more + " more than attributes" : "";
    }

    private static String pretty(JsonNode node) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return node.toString();
        }
    }
}
