package org.mispsentinel.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.mispsentinel.delivery.Checkpoint;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.MispTypeNames;

/**
 * The series a SOC dashboard and its alerts read, named for what misp-sentinel does rather than
 * for Camel's routes. Counters follow the cycle reports, so a metric and the cycle's summary line
 * never disagree. Labels carry only MISP types and skip reasons, never a setting's value.
 */
public final class DomainMetrics {

    static final String PREFIX = "misp_sentinel_";
    /** A custom or misspelt type is free text from MISP: one label value keeps the series bounded. */
    static final String OTHER_TYPE = "other";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer mispRequests;
    private final Timer sentinelRequests;
    private final Counter retries;
    // Micrometer holds the objects behind gauges weakly: these fields keep them alive
    private final Checkpoint checkpoint;
    private final Path deadLetterFile;
    private final LongSupplier tokensAcquired;
    private volatile double lastSuccessfulCycle = Double.NaN;

    public DomainMetrics(MeterRegistry registry, Clock clock, Checkpoint checkpoint, Path deadLetterFile,
                         LongSupplier tokensAcquired) {
        this.registry = registry;
        this.clock = clock;
        this.checkpoint = checkpoint;
        this.deadLetterFile = deadLetterFile;
        this.tokensAcquired = tokensAcquired;
        this.mispRequests = Timer.builder(PREFIX + "misp_request").description("MISP restSearch pages, request to answer")
                .register(registry);
        this.sentinelRequests = Timer.builder(PREFIX + "sentinel_request")
                .description("Sentinel uploads, request to answer").register(registry);
        this.retries = Counter.builder(PREFIX + "retries").description("Sentinel uploads sent again (429 or error)")
                .register(registry);
        FunctionCounter.builder(PREFIX + "token_renewals", this, m -> m.tokensAcquired.getAsLong())
                .description("access tokens obtained from Entra ID").register(registry);
        Gauge.builder(PREFIX + "last_successful_cycle_timestamp_seconds", this, m -> m.lastSuccessfulCycle)
                .description("end of the last cycle that completed cleanly, Unix time").register(registry);
        Gauge.builder(PREFIX + "checkpoint_age_seconds", this, DomainMetrics::checkpointAge)
                .description("how far behind now the next cycle starts reading MISP").register(registry);
        Gauge.builder(PREFIX + "dead_letter_file_bytes", this, DomainMetrics::deadLetterBytes)
                .description("size of the dead-letter file").register(registry);
    }

    public void mispAnswered(long nanos) {
        mispRequests.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** For a route step: the start of a request, to be handed to {@link #sentinelAnswered}. */
    public long now() {
        return System.nanoTime();
    }

    public void sentinelAnswered(long startedNanos) {
        sentinelRequests.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    public void retried() {
        retries.increment();
    }

    public void cycleEnded(CycleReport report) {
        count("attributes_fetched", "attributes read from MISP", report.fetched());
        count("duplicates", "attributes already delivered", report.duplicates());
        count("indicators_delivered", "indicators Sentinel accepted", report.delivered());
        count("refused", "indicators of batches Sentinel did not take; sent again later", report.failed());
        count("dead_lettered", "indicators Sentinel refused, written to the dead-letter file", report.deadLettered());
        count("revoked", "attributes MISP withdrew, sent as revoked", report.revoked());
        count("batches", "batches settled", report.batches());
        count("throttled", "429 answers from Sentinel", report.throttled());
        report.skipped().forEach((typeAndReason, n) -> {
            int slash = typeAndReason.lastIndexOf('/');
            String reason = typeAndReason.substring(slash + 1);
            String type = typeAndReason.substring(0, slash);
            Counter.builder(PREFIX + "skipped").description("attributes not sent, by reason and MISP type")
                    .tag("reason", reason).tag("type", MispTypeNames.isMispType(type) ? type : OTHER_TYPE).register(registry).increment(n);
        });
        if (report.clean()) {
            lastSuccessfulCycle = clock.millis() / 1000.0;
        }
    }

    private void count(String name, String description, long n) {
        Counter.builder(PREFIX + name).description(description).register(registry).increment(n);
    }

    private double checkpointAge() {
        OptionalLong at = checkpoint.read();
        return at.isPresent() ? clock.instant().getEpochSecond() - at.getAsLong() : Double.NaN;
    }

    private double deadLetterBytes() {
        try {
            return Files.exists(deadLetterFile) ? Files.size(deadLetterFile) : 0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
