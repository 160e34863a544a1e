package org.mispsentinel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.StateStore;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.StandInTls;
import org.mispsentinel.standin.StandIns;

class LauncherTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final InMemoryMispDataset dataset = new InMemoryMispDataset();
    private StandIns standIns;
    private Properties settings;

    @BeforeEach
    void start() {
        standIns = StandIns.builder().dataset(dataset).start();
        settings = standIns.properties(StandInTls.writeTrustStore(temp));
        settings.setProperty("state.dir", temp.resolve("state").toString());
        settings.setProperty("misp.lookback-days", "0");
        dataset.add(MispAttributes.attribute("domain", "evil.example.org").toIds(true).timestamp(1_700_000_000L));
        dataset.add(MispAttributes.attribute("ip-dst", "203.0.113.9").toIds(true).timestamp(1_700_000_001L));
    }

    @AfterEach
    void stop() {
        standIns.close();
    }

    private int run(String... args) {
        return Launcher.run(args, settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The STIX objects API (the default) also gets the creator's identity. */
    private List<String> acceptedIndicators() {
        return standIns.sentinel().acceptedIds().stream().filter(id -> id.startsWith("indicator--")).toList();
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onceExitsZeroWhenEverythingWasDelivered() {
        assertThat(run("--once")).isZero();
        assertThat(acceptedIndicators()).hasSize(2);
    }

    @Test
    void onceExitsOneWhenSomethingWasNotDelivered() {
        settings.setProperty("sentinel.max-retries", "0");
        standIns.sentinel().enqueue(org.mispsentinel.standin.SentinelFault.serverError(500));

        assertThat(run("--once")).isEqualTo(1);
    }

    @Test
    void aProxyUrlThatDoesNotParseIsNamedNeverEchoedAndExitsTwo() {
        // a password with '%' not followed by two hex digits: URI.create's message quotes the whole value
        settings.setProperty("https.proxy", "http://svc:Pr0xy%Pass^word@proxy.example.org:3128");

        for (String mode : new String[] {"--check", "--once"}) {
            out.reset();
            err.reset();
            int exit = run(mode);

            String all = out.toString(StandardCharsets.UTF_8) + stderr();
            assertThat(exit).as(mode).isEqualTo(2);
            assertThat(all).as(mode).contains("https.proxy").doesNotContain("Pr0xy").doesNotContain("word@proxy");
        }
    }

    @Test
    void missingSettingExitsTwoNamingItsEnvironmentVariable() {
        settings.remove("misp.url");

        assertThat(run("--once")).isEqualTo(2);
        assertThat(stderr()).contains("misp.url (MISP_URL)").contains("required");
    }

    @Test
    void invalidSettingExitsTwoWithoutEchoingAnySecret() {
        settings.setProperty("sentinel.workspace-id", "not-a-guid");

        assertThat(run("--once")).isEqualTo(2);
        assertThat(stderr()).contains("SENTINEL_WORKSPACE_ID").contains("GUID")
                .doesNotContain(standIns.credentials().mispApiKey())
                .doesNotContain(standIns.credentials().clientSecret());
    }

    @Test
    void credentialThatIsMissingOrAmbiguousExitsTwoNamingTheSettings() throws Exception {
        settings.remove("azure.client-secret");

        assertThat(run("--once")).isEqualTo(2);
        assertThat(stderr()).contains("azure.credential (AZURE_CREDENTIAL)").contains("AZURE_CLIENT_SECRET")
                .contains("AZURE_CLIENT_CERTIFICATE_PATH").contains("AZURE_FEDERATED_TOKEN_FILE");

        err.reset();
        settings.setProperty("azure.client-secret", standIns.credentials().clientSecret());
        settings.setProperty("azure.federated-token-file", Files.writeString(temp.resolve("token"), "a.b.c").toString());
        assertThat(run("--once")).isEqualTo(2);
        assertThat(stderr()).contains("several credentials are").contains("AZURE_CLIENT_SECRET")
                .contains("AZURE_FEDERATED_TOKEN_FILE").doesNotContain(standIns.credentials().clientSecret());

        err.reset();
        settings.setProperty("azure.credential", "workload-identity");
        settings.remove("azure.federated-token-file");
        assertThat(run("--once")).isEqualTo(2);
        assertThat(stderr()).contains("azure.federated-token-file (AZURE_FEDERATED_TOKEN_FILE): is required");
        assertThat(standIns.misp().requestCount()).as("nothing starts").isZero();
        assertThat(standIns.entra().tokenRequests()).isZero();
    }

    @Test
    void plainHttpMispIsRefusedUnlessExplicitlyAllowed() {
        settings.setProperty("misp.url", "http://misp.example.org");

        assertThat(run("--once")).isEqualTo(2);
        assertThat(stderr()).contains("MISP_URL").contains("https://");
    }

    @Test
    void settingRefusedAfterStartUpBeganLeavesTheStateUsable() throws Exception {
        settings.setProperty("misp.client-certificate-path", Files.writeString(temp.resolve("not.p12"), "x").toString());

        assertThat(run("--once")).isEqualTo(2);
        assertThat(stderr()).contains("MISP_CLIENT_CERTIFICATE_PATH");
        settings.remove("misp.client-certificate-path");
        assertThat(run("--once")).isZero();
    }

    @Test
    void dryRunWithOtherMappingSettingsLeavesTheStateAsItWas() throws Exception {
        assertThat(run("--once")).isZero();
        long uploads = standIns.sentinel().acceptedUploads();
        Path output = temp.resolve("preview.jsonl");

        // a preview of another mapping: on the state itself it would forget what was delivered
        settings.setProperty("stix.profile", "misp-stix");
        assertThat(run("--dry-run", output.toString())).isZero();
        settings.remove("stix.profile");

        assertThat(Files.readAllLines(output)).filteredOn(l -> l.contains("\"type\":\"indicator\"")).hasSize(2);
        assertThat(run("--once")).isZero();
        assertThat(standIns.sentinel().acceptedUploads()).as("nothing sent again").isEqualTo(uploads);
    }

    @Test
    void dryRunDoesNotTakeAnotherOptionForItsFileName() {
        assertThat(run("--dry-run", "--once")).isEqualTo(2);
        assertThat(stderr()).contains("--dry-run takes a file name");
        assertThat(standIns.misp().requestCount()).isZero();
    }

    @Test
    void reportTakesJsonOrNothingAndIsInTheUsage() {
        assertThat(run("--report", "--once")).isEqualTo(2);
        assertThat(stderr()).contains("--report takes --json or nothing").contains("--report [--json]");
        assertThat(standIns.misp().requestCount()).isZero();
    }

    @Test
    void versionPrintsTheBuildsVersionAndTheCamelItRunsOnAndExitsZero() {
        assertThat(run("--version")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("misp-sentinel "
                + org.mispsentinel.VersionTest.pomVersion() + " (Apache Camel "
                + org.mispsentinel.observe.BuildInfo.camelVersion() + ")" + System.lineSeparator());
        assertThat(standIns.misp().requestCount()).isZero();
    }

    @Test
    void unknownOptionExitsTwoWithUsage() {
        assertThat(run("--bogus")).isEqualTo(2);
        assertThat(stderr()).contains("unknown option --bogus").contains("usage:");
    }

    @Test
    void secondInstanceOnTheSameStateDirectoryIsRefused() {
        try (StateStore held = StateStore.open(temp.resolve("state"))) {
            assertThat(run("--once")).isEqualTo(2);
        }
        assertThat(stderr()).contains("locked").contains("another misp-sentinel");
        assertThat(standIns.misp().requestCount()).isZero();
    }

    @Test
    void dryRunWritesTheIndicatorsAsJsonLinesAndUploadsNothing() throws Exception {
        Path output = temp.resolve("dry.jsonl");
        settings.remove("azure.client-secret");
        settings.remove("azure.client-id");

        assertThat(run("--dry-run", output.toString())).isZero();

        List<String> lines = Files.readAllLines(output);
        ObjectMapper json = new ObjectMapper();
        List<String> types = new ArrayList<>();
        for (String line : lines) {
            types.add(json.readTree(line).path("type").asText());
        }
        assertThat(types).containsExactlyInAnyOrder("identity", "indicator", "indicator");
        assertThat(standIns.sentinel().requests()).isZero();
        assertThat(standIns.entra().tokenRequests()).isZero();
        assertThat(String.join("\n", lines)).doesNotContain(standIns.credentials().mispApiKey());
    }

    @Test
    void dryRunLeavesEverythingForTheRealRun() {
        run("--dry-run", temp.resolve("dry.jsonl").toString());

        assertThat(run("--once")).isZero();
        assertThat(acceptedIndicators()).hasSize(2);
    }
}
