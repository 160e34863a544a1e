package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.EntraFault;
import org.mispsentinel.standin.MispFault;
import org.mispsentinel.standin.SentinelFault;
import org.mispsentinel.standin.TokenRegistry;

/**
 * The MISP API key, the client secret and every access token stay out of everything the product
 * writes or reports, whatever goes wrong: log events (message, throwable chain and stack traces, with
 * the product and Camel at DEBUG), cycle summaries and problems, the dry-run output and every file in
 * the state directory (dead letters, dedup store, checkpoint).
 */
class SecretsNeverAppearTest {

    @TempDir
    Path temp;

    private interface Scenario {
        void run(SyncHarness h, Path dir) throws Exception;
    }

    private static String randomSecret(String prefix) {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean isHost5(JsonNode indicator) {
        return indicator.path("pattern").asText().contains("'host5.example.org'");
    }

    @Test
    void noSecretOrTokenAppearsInLogsReportsDryRunOutputOrStateFiles() throws Exception {
        // the shipped logging configuration, with the product's own loggers opened up to TRACE
        assertThat(leaksWhileFaultsHappen(Map.of("org.mispsentinel", Level.TRACE))).as("texts holding a secret").isEmpty();
    }

    @Test
    void noSecretAppearsEvenWithCamelDebugLogging() throws Exception {
        assertThat(leaksWhileFaultsHappen(Map.of("org.mispsentinel", Level.TRACE, "org.apache.camel", Level.DEBUG)))
                .as("texts holding a secret").isEmpty();
    }

    private List<String> leaksWhileFaultsHappen(Map<String, Level> levels) throws Exception {
        String wrongMispKey = randomSecret("wrongmispkey");
        String wrongClientSecret = randomSecret("wrongclientsecret");
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        scenarios.put("wrong MISP key", (h, dir) -> h.set("misp.api-key", wrongMispKey));
        scenarios.put("MISP 5xx", (h, dir) -> {
            h.set("misp.max-retries", "1");
            h.standIns.misp().enqueue(MispFault.serverError(), 2);
        });
        scenarios.put("MISP HTML page", (h, dir) -> {
            h.set("misp.max-retries", "0");
            h.standIns.misp().enqueue(MispFault.htmlPage());
        });
        scenarios.put("Sentinel 403", (h, dir) -> h.standIns.sentinel().enqueue(SentinelFault.forbidden()));
        scenarios.put("Sentinel 401 twice", (h, dir) -> h.standIns.sentinel().enqueue(SentinelFault.status(401,
                "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"The access token is invalid.\"}}",
                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\"")), 2));
        scenarios.put("Sentinel 429", (h, dir) -> h.standIns.sentinel().enqueue(SentinelFault.throttled(1, true)));
        scenarios.put("Sentinel 500", (h, dir) -> {
            h.set("sentinel.max-retries", "1");
            h.standIns.sentinel().enqueue(SentinelFault.serverError(500), 2);
        });
        scenarios.put("Sentinel per-record errors", (h, dir) ->
                h.standIns.sentinel().rejectRecordsMatching(SecretsNeverAppearTest::isHost5));
        scenarios.put("Sentinel refuses a batch", (h, dir) ->
                h.standIns.sentinel().rejectBatchesContaining(SecretsNeverAppearTest::isHost5));
        scenarios.put("wrong client secret", (h, dir) -> h.set("azure.client-secret", wrongClientSecret));
        scenarios.put("Entra down", (h, dir) -> {
            h.set("sentinel.max-retries", "1");
            h.standIns.entra().enqueue(EntraFault.unavailable(), 10);
        });
        scenarios.put("dry run", (h, dir) -> {
            h.set("dry-run.enabled", "true");
            h.set("dry-run.output", dir.resolve("dry-run.jsonl").toString());
        });

        Set<String> secrets = new LinkedHashSet<>(List.of(wrongMispKey, wrongClientSecret));
        Map<String, List<String>> written = new LinkedHashMap<>();
        int index = 0;
        try (LogCapture logs = LogCapture.start()) {
            levels.forEach(logs::level);
            for (Map.Entry<String, Scenario> scenario : scenarios.entrySet()) {
                Path dir = Files.createDirectories(temp.resolve("run-" + levels.size() + "-scenario-" + index++));
                List<String> texts = new ArrayList<>();
                int logsBefore = logs.events().size();
                try (SyncHarness h = SyncHarness.start(dir)) {
                    secrets.add(h.standIns.credentials().mispApiKey());
                    secrets.add(h.standIns.credentials().clientSecret());
                    Attributes.addMix(h.dataset, 20);
                    scenario.getValue().run(h, dir);
                    for (int cycle = 0; cycle < 2; cycle++) {
                        CycleReport report = h.runCycle();
                        texts.add(report.summary());
                        texts.add(report.toString());
                        texts.addAll(report.problems());
                    }
                    h.standIns.tokens().issued().stream().map(TokenRegistry.IssuedToken::accessToken)
                            .forEach(secrets::add);
                    h.stopApplication();
                    texts.addAll(filesUnder(dir.resolve("state")));
                    Path dryRun = dir.resolve("dry-run.jsonl");
                    if (Files.exists(dryRun)) {
                        String output = Files.readString(dryRun);
                        assertThat(output).as("dry-run output").isNotBlank();
                        texts.add(output);
                    }
                }
                texts.addAll(logs.lines().subList(logsBefore, logs.lines().size()));
                written.put(scenario.getKey(), texts);
            }
        }

        // the scenarios did go wrong the way they were meant to, and tokens were issued
        assertThat(secrets).anySatisfy(s -> assertThat(s).startsWith("standin."));
        assertThat(String.join("\n", written.get("wrong MISP key"))).contains("MISP refused the API key");
        assertThat(String.join("\n", written.get("wrong client secret"))).contains("Entra ID refused the client credentials");
        assertThat(String.join("\n", written.get("Sentinel 403"))).contains("Microsoft Sentinel Contributor");

        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, List<String>> scenario : written.entrySet()) {
            for (String text : scenario.getValue()) {
                for (String secret : secrets) {
                    if (text.contains(secret)) {
                        leaks.add(scenario.getKey() + ": " + clip(text));
                    }
                }
            }
        }
        return leaks;
    }

    private static String clip(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** Every state file, read as Latin-1 so that any ASCII secret in a binary store would still show. */
    private static List<String> filesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> contents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                contents.add(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return contents;
    }
}
