package org.mispsentinel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.config.ConfigurationException;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.StandInTls;
import org.mispsentinel.standin.StandIns;

/**
 * The launcher started as an operator starts it, in a process of its own with a crafted environment:
 * the modes stay safe whatever is exported, the settings come from their four sources in order, every
 * wrong setting is named at once, and stdout carries only what the mode prints.
 */
class OperatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A check line ({@code ok}, {@code FAIL}, {@code skip} in a column of 6) or the closing line. */
    private static final String CHECK_LINE = "(ok    |FAIL  |skip  )\\S.*|check (passed|failed): .*";

    @TempDir
    Path temp;

    private final InMemoryMispDataset dataset = new InMemoryMispDataset();
    /** The operator's own MISP, Entra ID and Sentinel, which the exported settings point at. */
    private StandIns real;
    private Map<String, String> exported;

    @BeforeEach
    void start() throws Exception {
        real = StandIns.builder().dataset(dataset).start();
        dataset.add(MispAttributes.attribute("domain", "evil.example.org").toIds(true).timestamp(1_700_000_000L));
        dataset.add(MispAttributes.attribute("ip-dst", "203.0.113.9").toIds(true).timestamp(1_700_000_001L));
        exported = new HashMap<>();
        real.properties(StandInTls.writeTrustStore(temp)).forEach((k, v) ->
                exported.put(ConfigurationException.envName((String) k), (String) v));
        exported.put("MISP_LOOKBACK_DAYS", "0");
        // what an env file listing every key carries, some of it wrong for the mode at hand
        exported.put("DRY_RUN_ENABLED", "false");
        exported.put("SCHEDULE_ENABLED", "true");
        exported.put("DRY_RUN_OUTPUT", temp.resolve("exported-dry-run.jsonl").toString());
        exported.put("STATE_DIR", temp.resolve("exported-state").toString());
        exported.put("MISP_PAGESIZE", "50");
    }

    @AfterEach
    void stop() {
        real.close();
    }

    private LauncherProcess.Result launch(Map<String, String> environment, String... args) throws Exception {
        return LauncherProcess.run(temp.resolve("home"), environment, args);
    }

    /** Every line of stdout parses as JSON (as jq would take it): @return how many are indicators */
    private static long indicators(LauncherProcess.Result dryRun) throws Exception {
        long indicators = 0;
        for (String line : dryRun.stdoutLines()) {
            JsonNode object = JSON.readTree(line);
            assertThat(object.path("type").asText()).as(line).isIn("indicator", "identity");
            indicators += object.path("type").asText().equals("indicator") ? 1 : 0;
        }
        return indicators;
    }

    @Test
    void demoTalksOnlyToItsOwnStandInsAndNamesTheExportedSettingsItIgnores() throws Exception {
        LauncherProcess.Result demo = launch(exported, "--demo");

        assertThat(demo.exit()).as(demo.stderr()).isZero();
        assertThat(real.misp().requestCount()).isZero();
        assertThat(real.entra().tokenRequests()).isZero();
        assertThat(real.sentinel().requests()).isZero();
        assertThat(temp.resolve("exported-state")).doesNotExist();
        assertThat(demo.stdout()).contains("ignoring the exported").contains("MISP_URL").contains("AZURE_CLIENT_SECRET")
                .contains("DRY_RUN_ENABLED").contains("STATE_DIR")
                .doesNotContain(real.credentials().clientSecret()).doesNotContain(real.credentials().mispApiKey())
                .doesNotContain(real.misp().baseUrl());
        // what it showed, with the cycle's own numbers, and the way to a real workspace
        assertThat(demo.stdout()).contains("500 attributes, of which 325 are flagged to_ids")
                .contains("they became 336 indicators, 11 more than attributes").contains("--check")
                .contains("From the demo to a real workspace");
        assertThat(demo.stdout()).doesNotContain("|-INFO").doesNotContain("|-WARN");
    }

    @Test
    void dryRunUploadsNothingWritesJsonLinesToStdoutAndLeavesNoState() throws Exception {
        // the key from a file, as a mounted secret: with its trailing line break
        Path key = Files.writeString(temp.resolve("misp-key"), exported.remove("MISP_API_KEY") + "\n");
        exported.put("MISP_API_KEY_FILE", key.toString());

        LauncherProcess.Result dryRun = launch(exported, "--dry-run");

        assertThat(dryRun.exit()).as(dryRun.stderr()).isZero();
        assertThat(real.sentinel().requests()).isZero();
        assertThat(real.entra().tokenRequests()).isZero();
        assertThat(indicators(dryRun)).isEqualTo(2);
        assertThat(dryRun.stderr()).contains("dry run, nothing uploaded")
                .contains("environment variable MISP_PAGESIZE is not a setting");
        assertThat(temp.resolve("exported-state")).doesNotExist();
        assertThat(temp.resolve("exported-dry-run.jsonl")).doesNotExist();
    }

    @Test
    void checkUploadsNoIndicatorAndPrintsOnlyCheckLines() throws Exception {
        LauncherProcess.Result check = launch(exported, "--check");

        assertThat(check.exit()).as(check.stdout() + check.stderr()).isZero();
        assertThat(real.sentinel().acceptedCount()).isZero();
        assertThat(check.stdoutLines()).isNotEmpty().allMatch(line -> line.matches(CHECK_LINE));
        assertThat(temp.resolve("exported-state")).doesNotExist();
    }

    @Test
    void jsonLogsLeaveStdoutToTheDryRunsJsonLines() throws Exception {
        exported.put("LOG_FORMAT", "json");

        LauncherProcess.Result dryRun = launch(exported, "--dry-run");

        assertThat(dryRun.exit()).as(dryRun.stderr()).isZero();
        assertThat(indicators(dryRun)).isEqualTo(2);
        assertThat(dryRun.stderr().lines().filter(l -> l.startsWith("{")))
                .anySatisfy(l -> assertThat(JSON.readTree(l).path("formattedMessage").asText()).contains("dry run"));
    }

    @Test
    void everyWrongSettingIsNamedInOneStartWithItsVariable() throws Exception {
        exported.put("MISP_URL", "http://misp.example.org");
        exported.remove("MISP_API_KEY");
        exported.remove("AZURE_TENANT_ID");
        exported.put("SENTINEL_WORKSPACE_ID", "not-a-guid");
        exported.put("SENTINEL_BATCH_SIZE", "500");
        exported.put("MISP_POLL_CRON", "every 15 minutes");

        LauncherProcess.Result once = launch(exported, "--once");

        assertThat(once.exit()).isEqualTo(2);
        assertThat(once.stdout()).isEmpty();
        assertThat(once.stderr().lines().filter(l -> l.startsWith("misp-sentinel: configuration error: ")))
                .hasSize(6)
                .anyMatch(l -> l.contains("misp.url (MISP_URL)"))
                .anyMatch(l -> l.contains("misp.api-key (MISP_API_KEY)"))
                .anyMatch(l -> l.contains("azure.tenant-id (AZURE_TENANT_ID)"))
                .anyMatch(l -> l.contains("sentinel.workspace-id (SENTINEL_WORKSPACE_ID)"))
                .anyMatch(l -> l.contains("sentinel.batch-size (SENTINEL_BATCH_SIZE)"))
                .anyMatch(l -> l.contains("misp.poll-cron (MISP_POLL_CRON)"));
        assertThat(once.stderr()).doesNotContain("Exception").doesNotContain(real.credentials().clientSecret());
        assertThat(real.misp().requestCount()).isZero();
    }

    @Test
    void configurationFileIsReadUnderTheEnvironmentAndTheCommandLine() throws Exception {
        // the file has every setting, a wrong MISP key among them; the environment brings the right one
        Properties file = real.properties(StandInTls.writeTrustStore(temp));
        file.setProperty("misp.api-key", "wrong-key-from-the-file");
        file.setProperty("misp.lookback-days", "0");
        file.setProperty("state.dir", temp.resolve("file-state").toString());
        file.setProperty("dry-run.enabled", "true");
        Path config = temp.resolve("misp-sentinel.properties");
        try (var out = Files.newBufferedWriter(config)) {
            file.store(out, null);
        }
        Map<String, String> environment = Map.of("MISP_API_KEY", real.credentials().mispApiKey(),
                "DRY_RUN_ENABLED", "false");

        LauncherProcess.Result once = launch(environment, "--config", config.toString(), "--once");

        assertThat(once.exit()).as(once.stderr()).isZero();
        assertThat(real.sentinel().acceptedIds()).filteredOn(id -> id.startsWith("indicator--")).hasSize(2);
        assertThat(temp.resolve("file-state")).isDirectory();
        assertThat(once.stderr()).contains("state in " + temp.resolve("file-state"));

        // the file named by the environment, read by --report, with the state it names
        LauncherProcess.Result report = launch(Map.of("MISP_SENTINEL_CONFIG", config.toString()), "--report", "--json");
        assertThat(report.exit()).as(report.stderr()).isZero();
        JsonNode workspace = JSON.readTree(report.stdout()).path("workspaces").path(0);
        assertThat(workspace.path("state_dir").asText()).isEqualTo(temp.resolve("file-state").toString());
        assertThat(workspace.path("delivered").asLong()).isEqualTo(2);

        // the command line over the environment over the file: --dry-run uploads nothing more
        LauncherProcess.Result dryRun = launch(Map.of("MISP_API_KEY", real.credentials().mispApiKey(),
                "DRY_RUN_ENABLED", "false", "MISP_LOOKBACK_DAYS", "0", "STATE_DIR", temp.resolve("other").toString()),
                "--dry-run", "--config=" + config);
        assertThat(dryRun.exit()).as(dryRun.stderr()).isZero();
        assertThat(indicators(dryRun)).isEqualTo(2);
        assertThat(real.sentinel().acceptedIds()).filteredOn(id -> id.startsWith("indicator--")).hasSize(2);
    }

    @Test
    void everyModeReadsTheConfigurationFileTheEnvironmentNames() throws Exception {
        Properties file = real.properties(StandInTls.writeTrustStore(temp));
        file.setProperty("misp.lookback-days", "0");
        file.setProperty("state.dir", temp.resolve("file-state").toString());
        file.setProperty("misp.pagesize", "50");
        Path config = temp.resolve("misp-sentinel.properties");
        try (var out = Files.newBufferedWriter(config)) {
            file.store(out, null);
        }
        Map<String, String> environment = Map.of("MISP_SENTINEL_CONFIG", config.toString());
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        assertThat(Launcher.run(new String[] {"--validate-routes"}, new Properties(), environment,
                java.time.Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(warnings, true, StandardCharsets.UTF_8))).isZero();
        assertThat(warnings.toString(StandardCharsets.UTF_8))
                .contains("misp.pagesize in " + config + " is not a setting of misp-sentinel");

        for (String mode : new String[] {"--check", "--validate-routes", "--once", "--replay-dead-letters", "--report",
                "--dry-run"}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Launcher.run(new String[] {mode}, new Properties(), environment, java.time.Clock.systemUTC(),
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).as(mode + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
        }
        assertThat(real.sentinel().acceptedIds()).filteredOn(id -> id.startsWith("indicator--")).hasSize(2);
    }

    @Test
    void aSettingFromBothItsVariableAndAFileIsRefused() throws Exception {
        Path key = Files.writeString(temp.resolve("misp-key"), real.credentials().mispApiKey() + "\n");
        exported.put("MISP_API_KEY_FILE", key.toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Launcher.run(new String[] {"--once"}, new Properties(), exported, java.time.Clock.systemUTC(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("misp.api-key (MISP_API_KEY): is set both by MISP_API_KEY and by MISP_API_KEY_FILE")
                .doesNotContain(real.credentials().mispApiKey());
        assertThat(real.misp().requestCount()).isZero();
    }

    @Test
    void reportNeedsOnlyTheStateAndSaysWhenADirectoryHoldsNone() throws Exception {
        Properties settings = real.properties(StandInTls.writeTrustStore(temp));
        settings.setProperty("state.dir", temp.resolve("state").toString());
        settings.setProperty("misp.lookback-days", "0");
        assertThat(Launcher.run(new String[] {"--once"}, settings, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()))).isZero();
        Map<String, String> stateOnly = Map.of("STATE_DIR_FILE",
                Files.writeString(temp.resolve("state-dir"), temp.resolve("state") + "\n").toString());

        LauncherProcess.Result text = launch(stateOnly, "--report");
        LauncherProcess.Result json = launch(stateOnly, "--report", "--json");
        LauncherProcess.Result none = launch(Map.of("STATE_DIR", temp.resolve("nothing-here").toString()), "--report");

        assertThat(text.exit()).as(text.stderr()).isZero();
        assertThat(text.stdoutLines().get(0)).isEqualTo("workspace default (" + temp.resolve("state") + ")");
        assertThat(text.stdoutLines().subList(1, text.stdoutLines().size()))
                .allMatch(line -> line.matches("  [a-z0-9 -]+ {2,}\\S.*"));
        assertThat(text.stdout()).contains("delivered              2 indicators");
        assertThat(json.exit()).isZero();
        assertThat(JSON.readTree(json.stdout()).path("workspaces").path(0).path("delivered").asLong()).isEqualTo(2);
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.stdout()).isEmpty();
        assertThat(none.stderr()).contains("no state in " + temp.resolve("nothing-here"));
        assertThat(temp.resolve("nothing-here")).doesNotExist();
    }

    @Test
    void validateRoutesChecksTheRoutesARunLoads() throws Exception {
        LauncherProcess.Result validate = launch(exported, "--validate-routes");

        assertThat(validate.exit()).as(validate.stderr()).isZero();
        assertThat(validate.stdoutLines()).singleElement().asString()
                .matches("routes valid: \\d+ files, \\d+ routes in .*/routes \\(.*\\)");
        assertThat(real.misp().requestCount()).isZero();
        assertThat(temp.resolve("exported-state")).doesNotExist();
    }
}
