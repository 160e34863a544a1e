package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.MispAttributes;

class RouteReloadTest {

    @TempDir
    Path temp;

    @Test
    void savedRouteEditChangesBehaviourWithoutRestartAndABrokenEditKeepsTheRunningRoutes() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path route : shipped.toList()) {
                Files.copy(route, routes.resolve(route.getFileName()));
            }
        }
        try (SyncHarness h = SyncHarness.start(temp).routesFrom(routes);
             LogCapture logs = LogCapture.start().level("org.apache.camel.support", Level.INFO)) {
            h.set("camel.main.routes-reload-enabled", "true")
                    .set("camel.main.routes-reload-directory", routes.toString())
                    .set("camel.main.routes-reload-pattern", "*.camel.yaml")
                    .set("camel.main.routes-reload-remove-all-routes", "false");
            Attributes.addMix(h.dataset, 40);
            h.runCycle();
            assertThat(h.standIns.sentinel().batchSizes()).containsExactly(30);

            Path batch = routes.resolve("sentinel-batch.camel.yaml");
            Route before = h.app().context().getRoute("sentinel-batch");
            String batchSize = "simple: \"${exchangeProperty.batchSize}\"";
            assertThat(Files.readString(batch)).contains(batchSize);
            Files.writeString(batch, Files.readString(batch).replace(batchSize, "constant: 10"));
            await().atMost(Duration.ofSeconds(30)).until(() -> h.app().context().getRoute("sentinel-batch") != before);
            addDomains(h, "edited", 25);
            CycleReport edited = h.runCycle();
            assertThat(h.standIns.sentinel().batchSizes()).containsExactly(30, 10, 10, 5);

            Route reloaded = h.app().context().getRoute("sentinel-batch");
            Files.writeString(batch, Files.readString(batch).replace("- aggregate:", "- agregate:"));
            await().atMost(Duration.ofSeconds(30)).until(() -> logs.text().contains("agregate"));
            addDomains(h, "after-broken-edit", 12);
            CycleReport afterBroken = h.runCycle();

            assertThat(edited.exitCode()).isZero();
            assertThat(h.app().context().getRoute("sentinel-batch")).isSameAs(reloaded);
            assertThat(afterBroken.exitCode()).isZero();
            assertThat(h.standIns.sentinel().batchSizes()).containsExactly(30, 10, 10, 5, 10, 2);
        }
    }

    private static void addDomains(SyncHarness h, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            h.dataset.add(MispAttributes.attribute("domain", prefix + i + ".example.org").toIds(true)
                    .timestamp(Attributes.T0 + 10_000 + i));
        }
    }
}
