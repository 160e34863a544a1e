package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.MispAttributes;

/**
 * The checkpoint follows MISP's clock as its Date header tells it, but only where that agrees with
 * this host's clock: a Date written by another clock (a proxy on another host, a clock that jumped)
 * must neither skip publications nor park the checkpoint in the future.
 */
class MispDateHeaderTest {

    private static final long OVERLAP = 120;

    @TempDir
    Path temp;

    /** The real time moved by an offset that a test may change: a host's or MISP's clock that is off. */
    static final class OffsetClock extends Clock {
        private volatile Duration offset;

        OffsetClock(Duration offset) {
            this.offset = offset;
        }

        void set(Duration value) {
            offset = value;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static MispAttributes.Builder published(int n) {
        return MispAttributes.attribute("ip-dst", "198.51.100." + n).uuid(uuid("clock-" + n)).toIds(true)
                .timestamp(Attributes.T0).event(Integer.toString(n), "event " + n);
    }

    /**
     * MISP and this host agree; the Date header comes from a proxy whose clock is 10 minutes ahead.
     * The stand-in's Date is the real time, so the scene is played 10 minutes earlier: MISP's stamps
     * and this host's clock are 10 minutes behind the real time.
     */
    @Test
    void aDateHeaderAheadOfThisHostsClockHoldsTheCheckpointAndSkipsNoPublication() throws Exception {
        OffsetClock mispAndHost = new OffsetClock(Duration.ofMinutes(-10));
        InMemoryMispDataset misp = new InMemoryMispDataset(mispAndHost);
        try (SyncHarness h = SyncHarness.start(temp, b -> b.dataset(misp))) {
            h.hostClock(mispAndHost);
            misp.add(published(1));
            CycleReport first = h.runCycle();
            // published right after the first cycle's answer, by MISP's clock
            misp.add(published(2));
            CycleReport second = h.runCycle();
            // the proxy's clock is put right
            mispAndHost.set(Duration.ZERO);
            CycleReport third = h.runCycle();
            misp.add(published(3));
            CycleReport fourth = h.runCycle();

            assertThat(h.standIns.sentinel().acceptedIds()).contains(Attributes.indicatorId(uuid("clock-1")),
                    Attributes.indicatorId(uuid("clock-2")), Attributes.indicatorId(uuid("clock-3")));
            for (CycleReport skewed : new CycleReport[] {first, second}) {
                assertThat(skewed.exitCode()).isEqualTo(1);
                assertThat(skewed.checkpointAfter()).isEqualTo(skewed.checkpointBefore());
                assertThat(skewed.problems()).singleElement().asString()
                        .containsPattern("MISP's clock \\(its Date header\\) is (59[0-9]|60[0-9]) s ahead of this host's clock")
                        .contains("misp.cursor-overlap-seconds (120)");
            }
            assertThat(third.exitCode()).isZero();
            assertThat(third.problems()).isEmpty();
            assertThat(fourth.exitCode()).isZero();
        }
    }

    /** A Date a day ahead (a VM whose clock is wrong, for one answer) must not park the checkpoint in the future. */
    @Test
    void aDateFarAheadNeverMovesTheCheckpointPastThisHostsClock() throws Exception {
        OffsetClock host = new OffsetClock(Duration.ofDays(-1));
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.hostClock(host);
            h.dataset.add(published(1));

            CycleReport report = h.runCycle();

            assertThat(report.checkpointAfter()).isEmpty();
            assertThat(report.problems()).singleElement().asString().contains("ahead of this host's clock");
        }
    }

    /** Within the overlap the Date is trusted, and the checkpoint is the earlier clock less the overlap. */
    @Test
    void theCheckpointNeverMovesPastThisHostsClockLessTheOverlap() throws Exception {
        OffsetClock host = new OffsetClock(Duration.ofSeconds(-60));
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.hostClock(host);
            h.dataset.add(published(1));

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.checkpointAfter()).isPresent();
            assertThat(report.checkpointAfter().getAsLong()).isLessThanOrEqualTo(host.instant().getEpochSecond() - OVERLAP);
        }
    }
}
