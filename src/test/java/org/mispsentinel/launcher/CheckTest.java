package org.mispsentinel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.StateStore;
import org.mispsentinel.standin.AdjustableClock;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.MispStandIn;
import org.mispsentinel.standin.SentinelFault;
import org.mispsentinel.standin.StandInTls;
import org.mispsentinel.standin.StandIns;
import org.mispsentinel.standin.TokenRegistry;

/** {@code --check} through the launcher, against the stand-ins, with two workspaces of two app registrations. */
class CheckTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** MISP's clock: what it publishes is stamped with it, so a test can publish 40 days ago. */
    private final AdjustableClock mispClock = new AdjustableClock(Instant.now().minus(Duration.ofDays(40)));
    private final InMemoryMispDataset dataset = new InMemoryMispDataset(mispClock);
    /** Values a test sets that are secrets too, though wrong ones. */
    private final List<String> typedSecrets = new ArrayList<>();
    private StandIns standIns;
    private StandIns.Credentials beta;
    private Properties settings;

    @BeforeEach
    void start() {
        standIns = StandIns.builder().dataset(dataset).otherApps(1).start();
        beta = standIns.otherApps().get(0);
        settings = standIns.properties(StandInTls.writeTrustStore(temp));
        settings.setProperty("state.dir", temp.resolve("state").toString());
        // alpha is the shared settings' app and workspace, beta an app registration of its own
        settings.setProperty("workspaces", "alpha,beta");
        settings.setProperty("workspace.beta.azure.client-id", beta.clientId());
        settings.setProperty("workspace.beta.azure.client-secret", beta.clientSecret());
        settings.setProperty("workspace.beta.sentinel.workspace-id", beta.workspaceId());
    }

    /** Whatever a test did, no secret reached the output: not the key, the secrets, a token, nor a wrong one typed. */
    @AfterEach
    void stop() {
        try {
            String all = stdout() + err.toString(StandardCharsets.UTF_8);
            List<String> secrets = new ArrayList<>(typedSecrets);
            secrets.addAll(List.of(standIns.credentials().mispApiKey(), standIns.credentials().clientSecret(),
                    beta.clientSecret()));
            standIns.tokens().issued().stream().map(TokenRegistry.IssuedToken::accessToken).forEach(secrets::add);
            assertThat(secrets).allSatisfy(secret -> assertThat(all).doesNotContain(secret));
        } finally {
            standIns.close();
        }
    }

    private int check() {
        return Launcher.run(new String[] {"--check"}, settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        return stdout().lines().toList();
    }

    private String line(String subject) {
        return lines().stream().filter(l -> l.substring(6).startsWith(subject + ": ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + subject + " in:\n" + stdout()));
    }

    private void setSecret(String key, String value) {
        typedSecrets.add(value);
        settings.setProperty(key, value);
    }

    @Test
    void passesWithEveryLineOkAgainstHealthyStandInsAndDeliversNothing() {
        dataset.add(MispAttributes.attribute("ip-dst", "198.51.100.7").toIds(true).event("2", "Phishing wave"));

        assertThat(check()).isZero();

        List<String> checks = lines().subList(0, lines().size() - 1);
        assertThat(checks).hasSize(2 + 3 * 2).allSatisfy(l -> assertThat(l).startsWith("ok    "));
        assertThat(lines().get(lines().size() - 1)).isEqualTo("check passed: 8 checks");
        assertThat(line("misp")).isEqualTo("ok    misp: reachable at " + standIns.misp().baseUrl() + ", MISP "
                + MispStandIn.VERSION + ", key accepted");
        assertThat(line("workspace alpha: token")).contains(standIns.credentials().clientId());
        assertThat(line("workspace beta: upload")).contains("app " + beta.clientId() + " may upload to workspace "
                + beta.workspaceId());
        assertThat(line("workspace beta: state")).contains(temp.resolve("state").resolve("beta").toString())
                .contains("does not exist yet; the first run creates it");
        assertThat(standIns.sentinel().acceptedCount()).as("nothing delivered").isZero();
        assertThat(standIns.sentinel().uploads()).hasSize(2).allSatisfy(u -> assertThat(u.objects()).isZero());
        assertThat(standIns.misp().requests()).as("one count, no page")
                .singleElement().satisfies(r -> assertThat(r.path("returnFormat").asText()).isEqualTo("count"));
    }

    @Test
    void namesTheCredentialEachWorkspaceUsed() {
        String identity = UUID.randomUUID().toString();
        try (org.mispsentinel.standin.ManagedIdentityStandIn endpoint = new org.mispsentinel.standin.ManagedIdentityStandIn(
                standIns.tokens(), java.util.Optional.empty()).assign(identity)) {
            com.microsoft.aad.msal4j.ManagedIdentityEnvironment.use(Map.of("IDENTITY_ENDPOINT", endpoint.endpoint(),
                    "IDENTITY_HEADER", endpoint.identityHeader()));
            standIns.sentinel().grantRole(standIns.credentials().workspaceId(), identity);
            settings.setProperty("workspace.alpha.azure.credential", "managed-identity");
            settings.setProperty("workspace.alpha.azure.managed-identity-client-id", identity);

            assertThat(check()).isZero();
        } finally {
            com.microsoft.aad.msal4j.ManagedIdentityEnvironment.reset();
        }

        assertThat(line("workspace alpha: token")).isEqualTo("ok    workspace alpha: token: the managed identity "
                + "endpoint issued a token to the user-assigned managed identity " + identity + " for "
                + "https://management.azure.com/.default with credential managed-identity (user-assigned, "
                + "workspace.alpha.azure.managed-identity-client-id (WORKSPACE_ALPHA_AZURE_MANAGED_IDENTITY_CLIENT_ID))");
        assertThat(line("workspace alpha: upload")).contains(identity + " may upload");
        assertThat(line("workspace beta: token")).endsWith("with credential secret "
                + "(workspace.beta.azure.client-secret (WORKSPACE_BETA_AZURE_CLIENT_SECRET))");
        assertThat(standIns.entra().tokenRequests()).as("only beta's app asked Entra").isEqualTo(1);
    }

    /** What the stand-in holds, attribute by attribute, against the default filters and these tags and types. */
    @Test
    void countsTheAttributesTheFiltersMatchNowInTheLookbackWindow() {
        settings.setProperty("misp.tags-include", "tlp:green,tlp:clear");
        settings.setProperty("misp.types-exclude", "comment");
        dataset.add(MispAttributes.attribute("ip-dst", "198.51.100.1").toIds(true).tag("tlp:green").event("1", "old"));
        mispClock.advance(Duration.ofDays(40));
        // matched: 3 tagged, 1 through its event's tag
        for (int i = 2; i <= 4; i++) {
            dataset.add(MispAttributes.attribute("ip-dst", "198.51.100." + i).toIds(true).tag("tlp:green").event("2", "new"));
        }
        dataset.add(MispAttributes.attribute("domain", "evil.example.org").toIds(true).eventTag("tlp:clear").event("3", "new"));
        // not matched: no tag, not to_ids, an excluded type, warninglisted, deleted, in an unpublished event
        dataset.add(MispAttributes.attribute("ip-dst", "198.51.100.5").toIds(true).event("2", "new"));
        dataset.add(MispAttributes.attribute("ip-dst", "198.51.100.6").toIds(false).tag("tlp:green").event("2", "new"));
        dataset.add(MispAttributes.attribute("comment", "see the report").toIds(true).tag("tlp:green").event("2", "new"));
        dataset.add(MispAttributes.attribute("ip-dst", "8.8.8.8").toIds(true).tag("tlp:green").event("2", "new"));
        dataset.addToWarninglist("8.8.8.8");
        dataset.add(MispAttributes.attribute("ip-dst", "198.51.100.9").toIds(true).tag("tlp:green").deleted(true)
                .event("2", "new"));
        dataset.add(MispAttributes.attribute("ip-dst", "198.51.100.10").toIds(true).tag("tlp:green").event("4", "draft"));
        dataset.unpublish("4");

        assertThat(check()).isZero();

        assertThat(line("misp filters")).isEqualTo("ok    misp filters: 4 attributes of events published in the last "
                + "30 days (misp.lookback-days) match now (to_ids only, warninglists enforced, tags any of tlp:green "
                + "tlp:clear, types none of comment)");
        JsonNode request = standIns.misp().lastRequest();
        assertThat(request.path("returnFormat").asText()).isEqualTo("count");
        assertThat(request.has("limit")).as("the whole match, not a page").isFalse();
        assertThat(request.has("deleted")).as("soft-deleted attributes do not count").isFalse();
        assertThat(request.path("publish_timestamp").asLong()).isPositive();
    }

    @Test
    void countsEveryPassOfAReadOfChangedEvents() {
        settings.setProperty("misp.published-only", "false");
        mispClock.advance(Duration.ofDays(40));
        dataset.add(MispAttributes.attribute("ip-dst", "198.51.100.1").toIds(true).timestamp(Instant.now()));

        assertThat(check()).isZero();

        assertThat(line("misp filters")).startsWith("ok    misp filters: 1 attributes of events changed and 1 of events "
                + "published in the last 30 days");
    }

    @Test
    void aRefusedMispKeyFailsItsLineAndSkipsTheFilters() {
        setSecret("misp.api-key", "not-the-key-of-anyone");

        assertThat(check()).isEqualTo(1);

        assertThat(line("misp")).startsWith("FAIL  misp: MISP refused the API key (HTTP 403")
                .contains("misp.api-key (MISP_API_KEY)");
        assertThat(line("misp filters")).startsWith("skip  ");
        assertThat(line("workspace alpha: upload")).startsWith("ok    ");
        assertThat(lines().get(lines().size() - 1)).isEqualTo("check failed: 1 failed, 1 skipped, 6 passed");
    }

    @Test
    void aRefusedSecretNamesTheWorkspacesOwnSetting() {
        setSecret("workspace.beta.azure.client-secret", "not-the-secret-of-beta");

        assertThat(check()).isEqualTo(1);

        assertThat(line("workspace beta: token")).startsWith("FAIL  workspace beta: token: Entra ID refused the client "
                + "secret of app " + beta.clientId() + " in tenant " + beta.tenantId() + ": check "
                + "workspace.beta.azure.client-secret (WORKSPACE_BETA_AZURE_CLIENT_SECRET)").contains("AADSTS7000215");
        assertThat(line("workspace beta: upload")).isEqualTo("skip  workspace beta: upload: needs a token");
        assertThat(line("workspace alpha: token")).startsWith("ok    ");
    }

    @Test
    void aRefusedSecretOfTheSharedSettingsNamesTheSharedSetting() {
        settings.remove("workspaces");
        setSecret("azure.client-secret", "not-the-secret-of-anyone");

        assertThat(check()).isEqualTo(1);

        assertThat(line("workspace default: token")).contains("Entra ID refused the client secret")
                .contains("check azure.client-secret (AZURE_CLIENT_SECRET)");
    }

    @Test
    void aMissingRoleNamesTheAppAndTheWorkspace() {
        standIns.sentinel().revokeRole(beta.workspaceId(), beta.clientId());

        assertThat(check()).isEqualTo(1);

        assertThat(line("workspace beta: upload")).startsWith("FAIL  workspace beta: upload: Sentinel refused the "
                + "upload (HTTP 403): the app " + beta.clientId() + " needs the 'Microsoft Sentinel Contributor' role on "
                + "the Log Analytics workspace " + beta.workspaceId());
        assertThat(line("workspace alpha: upload")).startsWith("ok    ");
    }

    @Test
    void anUnknownWorkspaceIdIsSaidToBeUnknownNamingItsSetting() {
        String unknown = UUID.randomUUID().toString();
        settings.setProperty("workspace.beta.sentinel.workspace-id", unknown);

        assertThat(check()).isEqualTo(1);

        assertThat(line("workspace beta: upload")).startsWith("FAIL  workspace beta: upload: Sentinel refused the "
                + "upload (HTTP 404): Sentinel does not know workspace " + unknown + " there: check "
                + "workspace.beta.sentinel.workspace-id (WORKSPACE_BETA_SENTINEL_WORKSPACE_ID)");
    }

    @Test
    void aTokenSentinelRefusesPointsAtTenantScopeAndHost() {
        standIns.sentinel().enqueue(SentinelFault.status(401,
                "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"The access token is invalid.\"}}", Map.of()));

        assertThat(check()).isEqualTo(1);

        assertThat(line("workspace alpha: upload")).startsWith("FAIL  workspace alpha: upload: Sentinel rejects the "
                + "tokens of app " + standIns.credentials().clientId() + " (HTTP 401): check azure.tenant-id "
                + "(AZURE_TENANT_ID), workspace.alpha.azure.scope (WORKSPACE_ALPHA_AZURE_SCOPE)");
    }

    @Test
    void aStateDirectoryARunningInstanceHoldsIsReportedAsSuch() {
        Path alpha = temp.resolve("state").resolve("alpha");
        try (StateStore held = StateStore.open(alpha)) {
            assertThat(check()).isEqualTo(1);
        }

        assertThat(line("workspace alpha: state")).startsWith("FAIL  workspace alpha: state: state file ")
                .contains("is locked: another misp-sentinel is running");
        assertThat(line("workspace beta: state")).startsWith("ok    ");
    }

    @Test
    void aStateStoreThatOpensIsLeftAsItWas() {
        StateStore.open(temp.resolve("state").resolve("alpha")).close();

        assertThat(check()).isZero();

        assertThat(line("workspace alpha: state")).contains("its state store opens and no running instance holds it");
    }

    @Test
    void aSettingThatDoesNotLoadEndsTheCheckWithExitTwo() {
        settings.setProperty("workspace.beta.sentinel.workspace-id", "not-a-guid");

        assertThat(check()).isEqualTo(2);

        assertThat(stdout()).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("WORKSPACE_BETA_SENTINEL_WORKSPACE_ID").contains("GUID");
        assertThat(standIns.misp().requestCount()).isZero();
    }

    @Test
    void takesNoArgument() {
        int exit = Launcher.run(new String[] {"--check", "now"}, settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unexpected argument now").contains("--check");
    }
}
