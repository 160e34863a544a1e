package org.mispsentinel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.config.Settings;
import org.mispsentinel.misp.MispQuery;
import org.mispsentinel.sentinel.SentinelIdentity;
import org.mispsentinel.stix.StixMapper;

class SyncCycleTest {

    @TempDir
    Path dir;

    private final ProgressLog progress = new ProgressLog(Duration.ofMinutes(1), 100, 100);
    private WorkspaceDelivery workspace;

    @AfterEach
    void stop() {
        workspace.close();
        progress.close();
    }

    private Settings settings() {
        Map<String, String> values = new HashMap<>();
        values.put("misp.url", "https://misp.example.org");
        // secrets are masked process-wide once read: a value no other test's log line contains
        values.put("misp.api-key", "sync-cycle-test-key-5b1f0c9e");
        values.put("dry-run.enabled", "true");
        values.put("state.dir", dir.toString());
        return Settings.load(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void cycleWhoseEndFailsIsReportedAndOverSoThatTheNextTriggerRuns() {
        Settings settings = settings();
        Settings.Workspace only = settings.workspaces().get(0);
        workspace = WorkspaceDelivery.open(StateStores.FILES, only, settings.misp(), new SentinelIdentity("none", "(none)", null, "none", 100),
                new StixMapper(only.mapping()), 100, false);
        SyncCycle cycle = new SyncCycle(new MispQuery(settings.misp(), false), List.of(workspace), 1000, 0, true, 120,
                false, Clock.systemUTC(), nanos -> { }, progress);
        assertThat(cycle.begin()).isTrue();
        // the state store goes away under the cycle, as when its disk fills or it is closed
        workspace.store().close();

        CycleReport report = cycle.end();

        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.problems()).singleElement().asString().contains("the end of the cycle failed")
                .contains("the next cycle runs");
        assertThat(cycle.begin()).as("the next trigger is not dropped as 'still running'").isTrue();
    }

    @Test
    void aTriggerSkippedBecauseACycleIsStillRunningIsAWarningWithThatCyclesAge() {
        Settings settings = settings();
        Settings.Workspace only = settings.workspaces().get(0);
        workspace = WorkspaceDelivery.open(StateStores.FILES, only, settings.misp(), new SentinelIdentity("none", "(none)", null, "none", 100),
                new StixMapper(only.mapping()), 100, false);
        org.mispsentinel.standin.AdjustableClock clock =
                new org.mispsentinel.standin.AdjustableClock(java.time.Instant.parse("2026-01-05T10:00:00Z"));
        SyncCycle cycle = new SyncCycle(new MispQuery(settings.misp(), false), List.of(workspace), 1000, 0, true, 120,
                false, clock, nanos -> { }, progress);
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SyncCycle.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            assertThat(cycle.begin()).isTrue();
            clock.set(java.time.Instant.parse("2026-01-05T10:17:00Z"));

            assertThat(cycle.begin()).isFalse();

            assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("this trigger is skipped"))
                    .singleElement().satisfies(e -> {
                        assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                        assertThat(e.getFormattedMessage()).contains("started 1020 s ago")
                                .contains("2026-01-05T10:00:00Z");
                    });
        } finally {
            logger.detachAppender(log);
            cycle.end();
        }
    }
}
