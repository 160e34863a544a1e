package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.DeadLetters;
import org.mispsentinel.launcher.Launcher;
import org.mispsentinel.standin.EntraStandIn;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.SentinelFault;
import org.mispsentinel.standin.SentinelStandIn;

/**
 * Several Sentinel workspaces fed from one MISP read. The second workspace is a Sentinel stand-in of
 * its own (its own workspace id, answers and faults), sharing the Entra ID stand-in's tokens; a
 * second Entra ID stand-in plays another app registration where the test needs two identities.
 * The stand-ins' answers are those of SentinelStandInTest and EntraStandInTest (sentinel-api.md:
 * 5xx, 429 with Retry-After, the per-identity request limit).
 */
class FanOutTest {

    private static final String BETA = UUID.nameUUIDFromBytes("beta-workspace".getBytes()).toString();

    @TempDir
    Path temp;

    private static SentinelStandIn betaSentinel(SyncHarness h) {
        return SentinelStandIn.builder().workspace(BETA).tokens(h.standIns.tokens()).start();
    }

    /** alpha is the harness's Sentinel under the harness's app; beta the given stand-in, same app unless set. */
    private static void twoWorkspaces(SyncHarness h, SentinelStandIn beta) {
        h.set("workspaces", "alpha,beta")
                .set("workspace.beta.sentinel.workspace-id", BETA)
                .set("workspace.beta.sentinel.api-host",
                        beta.apiHost(SentinelStandIn.Endpoint.INDICATORS.commercialHost()));
    }

    /** Small batches and queues, and a short wait for a workspace that does not move, so that a test sees it let go. */
    private static void twoWorkspacesWithShortQueues(SyncHarness h, SentinelStandIn beta) {
        twoWorkspaces(h, beta);
        h.set("sentinel.batch-size", "10")
                .set("sentinel.queued-batches", "1")
                .set("sentinel.max-queue-wait-seconds", "1");
    }

    private static List<String> ids(List<String> uuids) {
        return uuids.stream().map(Attributes::indicatorId).toList();
    }

    private static CompletableFuture<CycleReport> cycleInBackground(SyncHarness h) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return h.runCycle();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void twoWorkspacesWithDifferentFiltersReceiveTheirOwnSubsetsFromOneMispRead() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp); SentinelStandIn beta = betaSentinel(h)) {
            twoWorkspaces(h, beta);
            h.set("workspace.alpha.filter.types-include", "ip-dst,domain")
                    .set("workspace.beta.filter.tags-include", "customer:beta")
                    .set("workspace.beta.filter.tlp-max", "amber");
            List<String> forAlpha = new ArrayList<>();
            List<String> forBeta = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String uuid = UUID.nameUUIDFromBytes(("fan-" + i).getBytes()).toString();
                String type = i % 3 == 0 ? "ip-dst" : i % 3 == 1 ? "domain" : "sha256";
                String value = type.equals("ip-dst") ? "198.51.100." + i
                        : type.equals("domain") ? "fan" + i + ".example.org" : String.format("%064x", i + 1);
                MispAttributes.Builder attribute = MispAttributes.attribute(type, value).uuid(uuid).toIds(true)
                        .timestamp(Attributes.T0 + i);
                if (i % 2 == 0) {
                    attribute.eventTag("customer:beta");
                }
                if (i % 5 == 0) {
                    attribute.tag("tlp:red");
                }
                h.dataset.add(attribute);
                if (!type.equals("sha256")) {
                    forAlpha.add(uuid);
                }
                if (i % 2 == 0 && i % 5 != 0) {
                    forBeta.add(uuid);
                }
            }
            // one of beta's indicators is refused: it goes to beta's dead letters, not alpha's
            String refused = forBeta.get(0);
            beta.rejectRecordsMatching(json -> json.path("id").asText().equals(Attributes.indicatorId(refused)));

            CycleReport report = h.runCycle();

            assertThat(h.standIns.sentinel().acceptedIds()).containsExactlyInAnyOrderElementsOf(ids(forAlpha));
            assertThat(beta.acceptedIds()).containsExactlyInAnyOrderElementsOf(
                    ids(forBeta.subList(1, forBeta.size())));
            // MISP was read once: every attribute fetched once, one request per page
            assertThat(report.fetched()).isEqualTo(30);
            assertThat(h.standIns.misp().requestCount()).isEqualTo((int) report.pages());
            // each workspace its own state; one app registration, one token
            assertThat(Files.readAllLines(h.stateDir.resolve("beta").resolve(DeadLetters.FILE_NAME)))
                    .singleElement().asString().contains(refused);
            assertThat(h.stateDir.resolve("alpha").resolve(DeadLetters.FILE_NAME)).doesNotExist();
            assertThat(report.workspaces()).containsOnlyKeys("alpha", "beta");
            assertThat(report.workspaces().get("alpha").delivered()).isEqualTo(forAlpha.size());
            assertThat(report.workspaces().get("beta").deadLettered()).isEqualTo(1);
            assertThat(report.workspaces().get("alpha").checkpointAfter()).isPresent();
            assertThat(h.standIns.entra().tokenRequests()).isEqualTo(1);

            // --report, from each workspace's own state (the summaries the running instance wrote)
            JsonNode reported = new ObjectMapper().readTree(report(h));
            assertThat(reported.path("workspaces")).hasSize(2);
            assertThat(reported.path("workspaces").get(0).path("name").asText()).isEqualTo("alpha");
            assertThat(reported.path("workspaces").get(0).path("delivered").asLong())
                    .isEqualTo(h.standIns.sentinel().acceptedUploads());
            assertThat(reported.path("workspaces").get(1).path("delivered").asLong()).isEqualTo(beta.acceptedUploads());
            assertThat(reported.path("workspaces").get(1).path("dead_lettered").asLong()).isEqualTo(1);
        }
    }

    private static String report(SyncHarness h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Launcher.run(new String[] {"--report", "--json"}, h.settings(), Clock.systemUTC(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stormOfServerErrorsOnOneWorkspaceDoesNotHoldBackTheOtherAndItsShareArrivesAfterRecovery() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp); SentinelStandIn beta = betaSentinel(h)) {
            twoWorkspacesWithShortQueues(h, beta);
            // alpha keeps retrying for far longer than beta needs
            h.set("sentinel.max-retries", "100")
                    .set("sentinel.retry-delay-ms", "1000")
                    .set("sentinel.max-retry-delay-ms", "1000");
            List<String> expected = Attributes.addMix(h.dataset, 60);
            SentinelStandIn alpha = h.standIns.sentinel();
            alpha.enqueue(SentinelFault.serverError(503), 10_000);

            CompletableFuture<CycleReport> first = cycleInBackground(h);

            // alpha's retries alone would take 100 s: waiting behind them, beta would get nothing in time
            await().atMost(Duration.ofSeconds(60)).until(() -> beta.acceptedCount() == expected.size());
            assertThat(alpha.acceptedCount()).isZero();
            CycleReport report = first.get(2, TimeUnit.MINUTES);
            alpha.clearFaults();

            assertThat(beta.acceptedIds()).containsExactlyInAnyOrderElementsOf(ids(expected));
            assertThat(report.workspaces().get("beta").clean()).isTrue();
            assertThat(report.workspaces().get("alpha").problems()).anySatisfy(problem -> assertThat(problem)
                    .startsWith("workspace alpha: ").contains("sentinel.max-queue-wait-seconds"));
            assertThat(report.workspaces().get("alpha").checkpointAfter()).isEmpty();
            assertThat(report.exitCode()).isEqualTo(1);

            CycleReport second = h.runCycle();

            assertThat(alpha.acceptedIds()).containsExactlyInAnyOrderElementsOf(ids(expected));
            assertThat(second.exitCode()).isZero();
            assertThat(second.workspaces().get("beta").delivered()).isZero();
            assertThat(beta.acceptedUploads()).as("beta got nothing twice").isEqualTo(expected.size());
        }
    }

    @Test
    void stormOfTooManyRequestsForOneAppDoesNotHoldBackAWorkspaceOfAnotherApp() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp); SentinelStandIn beta = betaSentinel(h);
             EntraStandIn betaApp = EntraStandIn.builder().client("beta-app", "beta-app-secret-4d2a9c")
                     .tokens(h.standIns.tokens()).start()) {
            twoWorkspacesWithShortQueues(h, beta);
            h.set("workspace.beta.azure.authority-host", betaApp.baseUrl())
                    .set("workspace.beta.azure.tenant-id", betaApp.tenantId())
                    .set("workspace.beta.azure.client-id", "beta-app")
                    .set("workspace.beta.azure.client-secret", "beta-app-secret-4d2a9c")
                    .set("sentinel.max-throttled-retries", "1000");
            List<String> expected = Attributes.addMix(h.dataset, 60);
            SentinelStandIn alpha = h.standIns.sentinel();
            alpha.enqueue(SentinelFault.throttled(1, true), 10_000);

            CompletableFuture<CycleReport> first = cycleInBackground(h);

            // alpha's 429s alone would take 1,000 s: waiting behind them, beta would get nothing in time
            await().atMost(Duration.ofSeconds(60)).until(() -> beta.acceptedCount() == expected.size());
            assertThat(alpha.acceptedCount()).isZero();
            assertThat(beta.throttledCount()).as("beta's app has a budget of its own").isZero();
            CycleReport report = first.get(2, TimeUnit.MINUTES);
            alpha.clearFaults();

            assertThat(report.workspaces().get("beta").clean()).isTrue();
            assertThat(report.workspaces().get("alpha").checkpointAfter()).isEmpty();

            h.runCycle();

            assertThat(alpha.acceptedIds()).containsExactlyInAnyOrderElementsOf(ids(expected));
            assertThat(alpha.earlyRetries()).isZero();
            assertThat(h.standIns.entra().tokenRequests()).isEqualTo(1);
            assertThat(betaApp.tokenRequests()).isEqualTo(1);
        }
    }

    @Test
    void theEndOfTheCycleDoesNotWaitForAThrottledWorkspaceBeyondTheQueueWait() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp); SentinelStandIn beta = betaSentinel(h);
             EntraStandIn betaApp = EntraStandIn.builder().client("beta-app", "beta-app-secret-7e1b3f")
                     .tokens(h.standIns.tokens()).start()) {
            twoWorkspacesWithShortQueues(h, beta);
            // another app registration: alpha's 429s do not hold beta's requests back
            h.set("workspace.beta.azure.authority-host", betaApp.baseUrl())
                    .set("workspace.beta.azure.tenant-id", betaApp.tenantId())
                    .set("workspace.beta.azure.client-id", "beta-app")
                    .set("workspace.beta.azure.client-secret", "beta-app-secret-7e1b3f")
                    .set("sentinel.max-throttled-retries", "1000")
                    // long enough for beta's first upload (a token, a TLS handshake) on a busy machine
                    .set("sentinel.max-queue-wait-seconds", "10");
            // one batch: fewer than the queue holds, so the hand-over never cuts alpha; only the end waits for it
            List<String> expected = Attributes.addMix(h.dataset, 5);
            SentinelStandIn alpha = h.standIns.sentinel();
            alpha.enqueue(SentinelFault.throttled(1, true), 10_000);

            // alpha's 429s alone would take 1,000 s
            CycleReport report = cycleInBackground(h).get(2, TimeUnit.MINUTES);
            alpha.clearFaults();

            assertThat(beta.acceptedIds()).containsExactlyInAnyOrderElementsOf(ids(expected));
            assertThat(report.workspaces().get("beta").clean()).isTrue();
            assertThat(report.workspaces().get("beta").checkpointAfter()).isPresent();
            assertThat(report.workspaces().get("alpha").problems()).anySatisfy(problem -> assertThat(problem)
                    .startsWith("workspace alpha: ").contains("sentinel.max-queue-wait-seconds"));
            assertThat(report.workspaces().get("alpha").checkpointAfter()).isEmpty();

            // the stuck batch gives up at its next attempt; the next cycle sends alpha's share
            CycleReport second = h.runCycle();

            assertThat(alpha.acceptedIds()).containsExactlyInAnyOrderElementsOf(ids(expected));
            assertThat(second.exitCode()).isZero();
        }
    }

    @Test
    void oneWorkspacesFailingStoreDoesNotHoldBackTheCheckpointOfAnother() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp); SentinelStandIn beta = betaSentinel(h)) {
            twoWorkspaces(h, beta);
            List<String> first = Attributes.addMix(h.dataset, 3);
            // beta's first share fails, so that it has no checkpoint yet
            beta.enqueue(SentinelFault.forbidden(), 1);
            CycleReport failed = h.runCycle();
            assertThat(failed.workspaces().get("beta").checkpointAfter()).isEmpty();

            // alpha's store closes (MVStore does so itself after a write it could not complete, a full disk)
            org.mispsentinel.delivery.SyncCycle cycle = h.app().context().getRegistry()
                    .lookupByNameAndType("syncCycle", org.mispsentinel.delivery.SyncCycle.class);
            cycle.workspace(0).store().close();
            CycleReport report = h.runCycle();

            assertThat(beta.acceptedIds()).containsExactlyInAnyOrderElementsOf(ids(first));
            assertThat(report.workspaces().get("alpha").problems()).anySatisfy(problem -> assertThat(problem)
                    .startsWith("workspace alpha: ").contains("the end of the cycle failed"));
            assertThat(report.workspaces().get("beta").clean()).isTrue();
            assertThat(report.workspaces().get("beta").checkpointAfter()).as("beta moves its own checkpoint")
                    .isPresent();
            assertThat(cycle.workspace(1).checkpoint().read()).isPresent();
            assertThat(report.exitCode()).isEqualTo(1);
        }
    }
}
