package org.mispsentinel.delivery;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line at a steady interval while a cycle runs, so that a first sync of a large MISP or a backlog
 * behind Sentinel's limit shows it is moving. Once MISP is read, what is left goes at most as fast
 * as the request budget allows, which makes the time left predictable.
 */
public final class ProgressLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

    private final Duration interval;
    private final double budgetPerSecond;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> ticking;

    /** @param interval zero: no progress lines */
    public ProgressLog(Duration interval, int requestsPerMinute, int batchSize) {
        this.interval = interval;
        this.budgetPerSecond = requestsPerMinute * (double) batchSize / 60;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "misp-sentinel-progress");
            t.setDaemon(true);
            return t;
        });
    }

    synchronized void started(SyncCycle cycle) {
        stop();
        if (interval.isZero()) {
            return;
        }
        long startedAt = System.nanoTime();
        long every = interval.toMillis();
        ticking = timer.scheduleAtFixedRate(() -> LOG.info("{}", line(cycle.totals(), cycle.hasMorePages(),
                Duration.ofNanos(System.nanoTime() - startedAt))), every, every, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
    }

    String line(CycleStats stats, boolean stillReading, Duration elapsed) {
        long delivered = stats.delivered.get();
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        double rate = delivered / seconds;
        StringBuilder s = new StringBuilder("cycle progress: pages=").append(stats.pages.get())
                .append(" attributes=").append(stats.fetched.get())
                .append(" delivered=").append(delivered)
                .append(String.format(Locale.ROOT, " rate=%.1f/s", rate));
        if (stillReading) {
            s.append(" eta=unknown (still reading MISP)");
        } else {
            long left = Math.max(0, stats.indicators.get() - delivered - stats.deadLettered.get() - stats.failed.get());
            double pace = rate > 0 ? Math.min(rate, budgetPerSecond) : budgetPerSecond;
            s.append(" left=").append(left).append(" eta=").append(Math.round(left / pace)).append('s');
        }
        return s.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
