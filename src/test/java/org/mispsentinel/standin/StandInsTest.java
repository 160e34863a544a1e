package org.mispsentinel.standin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandInsTest {

    private final StandInHttp http = new StandInHttp();

    @TempDir
    Path dir;

    @Test
    void startsAllThreeSoThatATokenFromEntraOpensSentinel() {
        try (StandIns standIns = StandIns.start()) {
            StandIns.Credentials credentials = standIns.credentials();

            HttpResponse<String> upload = upload(standIns, token(standIns, credentials), credentials.workspaceId());
            HttpResponse<String> misp = http.postJson(standIns.misp().baseUrl() + MispStandIn.PATH, Map.of(),
                    Map.of("Authorization", credentials.mispApiKey()));

            assertThat(upload.statusCode()).isEqualTo(200);
            assertThat(standIns.sentinel().acceptedCount()).isEqualTo(1);
            assertThat(misp.statusCode()).isEqualTo(200);
            assertThat(credentials.toString()).doesNotContain(credentials.clientSecret(), credentials.mispApiKey());
            assertThat(List.of(standIns.misp().port(), standIns.entra().port(), standIns.sentinel().port()))
                    .doesNotHaveDuplicates();
        }
    }

    /**
     * sentinel-api.md, "Authentication": the role is assigned to an app on a workspace, so an app of the
     * same tenant holds it on its own workspace and not on another's.
     */
    @Test
    void addsAppRegistrationsEachWithTheRoleOnAWorkspaceOfItsOwn() {
        try (StandIns standIns = StandIns.builder().otherApps(1).start()) {
            StandIns.Credentials first = standIns.credentials();
            StandIns.Credentials other = standIns.otherApps().get(0);
            String token = token(standIns, other);

            assertThat(other.tenantId()).isEqualTo(first.tenantId());
            assertThat(other.clientId()).isNotEqualTo(first.clientId());
            assertThat(upload(standIns, token, other.workspaceId()).statusCode()).isEqualTo(200);
            assertThat(upload(standIns, token, first.workspaceId()).statusCode()).isEqualTo(403);
            assertThat(upload(standIns, token(standIns, first), other.workspaceId()).statusCode()).isEqualTo(403);
        }
    }

    /** What StandInMain --apps writes for bench/run scaleout: a workspace per app, each open to its app only. */
    @Test
    void namesAWorkspacePerAppRegistrationWhoseSettingsOpenThatWorkspaceOnlyAndCountsItsIndicators() {
        try (StandIns standIns = StandIns.builder().otherApps(2).start()) {
            Properties settings = standIns.workspacePerAppProperties();

            assertThat(settings.getProperty("workspaces")).isEqualTo("ws1,ws2,ws3");
            assertThat(settings.getProperty("workspace.ws1.azure.client-id")).isEqualTo(standIns.credentials().clientId());
            List<StandIns.Credentials> apps = List.of("ws1", "ws2", "ws3").stream().map(name -> new StandIns.Credentials(
                    standIns.credentials().tenantId(), settings.getProperty("workspace." + name + ".azure.client-id"),
                    settings.getProperty("workspace." + name + ".azure.client-secret"),
                    settings.getProperty("workspace." + name + ".sentinel.workspace-id"), "")).toList();
            assertThat(apps.stream().map(StandIns.Credentials::workspaceId)).doesNotHaveDuplicates();
            for (StandIns.Credentials app : apps) {
                String token = token(standIns, app);
                assertThat(upload(standIns, token, app.workspaceId()).statusCode()).isEqualTo(200);
                apps.stream().filter(other -> other != app).forEach(other ->
                        assertThat(upload(standIns, token, other.workspaceId()).statusCode()).isEqualTo(403));
            }
            // one indicator accepted in each, the refused uploads counted nowhere
            assertThat(StandInMain.acceptedIndicatorsByWorkspace(standIns.sentinel().uploads()))
                    .containsOnlyKeys(apps.stream().map(StandIns.Credentials::workspaceId).toList())
                    .allSatisfy((workspace, indicators) -> assertThat(indicators).isEqualTo(1L));
        }
    }

    private String token(StandIns standIns, StandIns.Credentials app) {
        HttpResponse<String> response = http.postForm(standIns.entra().tokenEndpoint(), Map.of(
                "grant_type", "client_credentials", "client_id", app.clientId(),
                "client_secret", app.clientSecret(), "scope", "https://management.azure.com/.default"));
        return StandInHttp.json(response).path("access_token").asText();
    }

    private HttpResponse<String> upload(StandIns standIns, String token, String workspaceId) {
        return http.postJson(standIns.sentinel().uploadUrl(SentinelStandIn.Endpoint.STIX_OBJECTS, workspaceId),
                Map.of("sourcesystem", "MISP", "stixobjects", List.of(SentinelStandInTest.indicator("198.51.100.5"))),
                Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void writesTheProductSettingsAndAUsableTrustStore() throws Exception {
        try (StandIns standIns = StandIns.start()) {
            Path file = standIns.writeProperties(dir.resolve("standin.properties"));

            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            assertThat(properties.stringPropertyNames()).containsExactlyInAnyOrder("misp.url", "misp.api-key",
                    "azure.authority-host", "azure.tenant-id", "azure.client-id", "azure.client-secret",
                    "sentinel.api-host", "sentinel.workspace-id", "tls.trust-store", "tls.trust-store-password");
            assertThat(properties.getProperty("misp.url")).isEqualTo(standIns.misp().baseUrl());
            assertThat(properties.getProperty("azure.authority-host")).isEqualTo(standIns.entra().baseUrl());
            assertThat(properties.getProperty("sentinel.workspace-id")).isEqualTo(standIns.credentials().workspaceId());
            KeyStore trustStore = KeyStore.getInstance(StandInTls.TRUST_STORE_TYPE);
            try (var in = Files.newInputStream(Path.of(properties.getProperty("tls.trust-store")))) {
                trustStore.load(in, properties.getProperty("tls.trust-store-password").toCharArray());
            }
            assertThat(trustStore.size()).isEqualTo(1);
        }
    }

    @Test
    void runsAsASeparateProcessAndReportsStatsWhenStdinCloses() throws Exception {
        Path portsFile = dir.resolve("ports.properties");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StandInMain.class.getName(),
                "--attributes", "1000", "--seed", "3", "--rate-limit", "100/60", "--retry-after", "message",
                "--ports-file", portsFile.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = out.readLine();
            assertThat(ready).startsWith("STANDIN READY misp=https://localhost:");

            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(portsFile)) {
                properties.load(reader);
            }
            HttpResponse<String> page = http.postJson(properties.getProperty("misp.url") + MispStandIn.PATH,
                    Map.of("page", 1, "limit", 10), Map.of("Authorization", properties.getProperty("misp.api-key")));
            assertThat(page.headers().firstValue("X-Result-Count")).as("a full page: limit + 1").contains("11");

            process.getOutputStream().close();
            String statsLine = out.readLine();
            assertThat(statsLine).startsWith("STANDIN STATS ");
            JsonNode stats = StandInHttp.MAPPER.readTree(statsLine.substring("STANDIN STATS ".length()));
            assertThat(stats.path("misp").path("requests").asInt()).isEqualTo(1);
            assertThat(stats.path("sentinel").path("earlyRetries").asInt()).isZero();
            assertThat(stats.path("sentinel").has("batchSizes")).isTrue();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }
}
