package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.launcher.Application;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.SentinelStandIn;
import org.mispsentinel.standin.StandInTls;
import org.mispsentinel.standin.StandIns;

/**
 * The real application (camel-main, the YAML routes in {@code routes/}, the real beans) against
 * HTTPS stand-ins for MISP, Entra ID and Sentinel on loopback, with a state directory of its own.
 * Cycles are triggered directly instead of by the schedule, so tests need no waiting.
 */
final class SyncHarness implements AutoCloseable {

    final StandIns standIns;
    final InMemoryMispDataset dataset = new InMemoryMispDataset();
    final Path stateDir;
    private final Properties settings;
    private Application app;
    private Clock clock = Clock.systemUTC();
    private Clock hostClock = Clock.systemUTC();
    private Path routesDir = Path.of("routes");
    private long readStartedAfter;
    private long readStartedBefore;

    private SyncHarness(Path tempDir, Consumer<StandIns.Builder> customise) {
        StandIns.Builder builder = StandIns.builder().dataset(dataset);
        customise.accept(builder);
        this.standIns = builder.start();
        this.stateDir = tempDir.resolve("state");
        Path trustStore = StandInTls.writeTrustStore(tempDir);
        this.settings = standIns.properties(trustStore);
        settings.setProperty("state.dir", stateDir.toString());
        settings.setProperty("schedule.enabled", "false");
        settings.setProperty("misp.lookback-days", "0");
        settings.setProperty("misp.page-size", "40");
        // the routes' own to_ids filter is what the tests check, not MISP's
        settings.setProperty("misp.to-ids-only", "false");
        settings.setProperty("misp.retry-delay-ms", "1");
        settings.setProperty("sentinel.retry-delay-ms", "1");
        settings.setProperty("sentinel.max-retry-delay-ms", "5");
        settings.setProperty("sentinel.requests-per-minute", "100000");
        // The delivery tests count indicators; the STIX objects API (the default) also sends their
        // context (identities, attack patterns): StixObjectsApiTest and ThreatContextDeliveryTest.
        settings.setProperty("sentinel.api", "indicators");
        settings.remove("sentinel.api-host");
    }

    static SyncHarness start(Path tempDir) {
        return new SyncHarness(tempDir, b -> { });
    }

    static SyncHarness start(Path tempDir, Consumer<StandIns.Builder> customise) {
        return new SyncHarness(tempDir, customise);
    }

    SyncHarness set(String key, String value) {
        settings.setProperty(key, value);
        return this;
    }

    /** Route files from {@code dir} instead of the shipped ones. */
    SyncHarness routesFrom(Path dir) {
        routesDir = dir;
        return this;
    }

    /** Leaves a setting to its default. */
    SyncHarness unset(String key) {
        settings.remove(key);
        return this;
    }

    /** The settings as the application gets them. */
    /** The application's clock, from the next start on. */
    SyncHarness clock(Clock value) {
        clock = value;
        return this;
    }

    /**
     * This host's clock as the application judges MISP's Date header by, from the next start on: the
     * stand-ins' Date is always the real time (the JDK server writes its own), so a test plays a MISP
     * or a proxy whose clock disagrees with this host's by moving this one.
     */
    SyncHarness hostClock(Clock value) {
        hostClock = value;
        return this;
    }

    Properties settings() {
        if (!settings.containsKey("sentinel.api-host")) {
            // the stand-in plays the host Microsoft documents for the API under test
            SentinelStandIn.Endpoint api = "indicators".equals(settings.getProperty("sentinel.api"))
                    ? SentinelStandIn.Endpoint.INDICATORS : SentinelStandIn.Endpoint.STIX_OBJECTS;
            Properties resolved = new Properties();
            resolved.putAll(settings);
            resolved.setProperty("sentinel.api-host", standIns.sentinel().apiHost(api.commercialHost()));
            return resolved;
        }
        return settings;
    }

    CycleReport runCycle() throws Exception {
        Application application = started();
        readStartedAfter = Instant.now().getEpochSecond();
        CycleReport report = application.runCycle();
        readStartedBefore = Instant.now().getEpochSecond();
        return report;
    }

    /**
     * The checkpoint of a clean cycle is MISP's clock when that cycle read its first page, less the
     * overlap: the stand-in's clock is this machine's (the JDK server writes its own Date header).
     */
    void assertCheckpointMovedToTheRead(CycleReport report) {
        long overlap = Long.parseLong(settings.getProperty("misp.cursor-overlap-seconds", "120"));
        assertThat(report.checkpointAfter()).isPresent();
        assertThat(report.checkpointAfter().getAsLong())
                .isBetween(readStartedAfter - overlap, readStartedBefore - overlap);
    }

    CycleReport replayDeadLetters() throws Exception {
        return started().replayDeadLetters();
    }

    private Application started() throws Exception {
        if (app == null) {
            app = new Application(settings(), Optional.of(routesDir), clock, hostClock);
            app.start();
        }
        return app;
    }

    Application app() {
        return app;
    }

    /** Stops the application as a restart would; state stays on disk. */
    void stopApplication() throws Exception {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stopApplication();
        } finally {
            standIns.close();
        }
    }
}
