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
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.mispsentinel.delivery.Checkpoint;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.delivery.MispTypeNames;
import org.mispsentinel.delivery.WorkspaceDelivery;

/**
 * The series a SOC dashboard and its alerts read, named for what misp-sentinel does rather than
 * for Camel's routes. Counters follow the cycle reports, so a metric and the cycle's summary line
 * never disagree. Labels carry only MISP types, skip reasons and the names of the configured
 * workspaces (series of deliveries are per workspace), never a setting's value.
 */
public final class DomainMetrics {

    static final String PREFIX = "misp_sentinel_";
    /** A custom or misspelt type is free text from MISP: one label value keeps the series bounded. */
    static final String OTHER_TYPE = "other";
    static final String WORKSPACE = "workspace";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer mispRequests;
    private final Timer sentinelRequests;
    private final Counter retries;
    private final Counter cyclesComplete;
    private final Counter cyclesIncomplete;
    // Micrometer holds the objects behind gauges weakly: these fields keep them alive
    private final List<WorkspaceDelivery> workspaces;
    private final LongSupplier tokensAcquired;
    private final java.util.function.Predicate<String> owns;

    public DomainMetrics(MeterRegistry registry, Clock clock, List<WorkspaceDelivery> workspaces,
                         LongSupplier tokensAcquired) {
        this(registry, clock, workspaces, tokensAcquired, name -> true);
    }

    /** @param owns whether this instance owns a workspace now (several instances share them) */
    public DomainMetrics(MeterRegistry registry, Clock clock, List<WorkspaceDelivery> workspaces,
                         LongSupplier tokensAcquired, java.util.function.Predicate<String> owns) {
        this.registry = registry;
        this.clock = clock;
        this.workspaces = List.copyOf(workspaces);
        this.tokensAcquired = tokensAcquired;
        this.owns = owns;
        this.mispRequests = Timer.builder(PREFIX + "misp_request").description("MISP restSearch pages, request to answer")
                .register(registry);
        this.sentinelRequests = Timer.builder(PREFIX + "sentinel_request")
                .description("Sentinel uploads, request to answer").register(registry);
        this.retries = Counter.builder(PREFIX + "retries").description("Sentinel uploads sent again (429 or error)")
                .register(registry);
        // both outcomes from the start, so that a rate over them exists before the first incomplete cycle
        this.cyclesComplete = cycles("complete");
        this.cyclesIncomplete = cycles("incomplete");
        FunctionCounter.builder(PREFIX + "token_renewals", this, m -> m.tokensAcquired.getAsLong())
                .description("access tokens obtained from Entra ID").register(registry);
        for (WorkspaceDelivery workspace : this.workspaces) {
            String name = workspace.name();
            // the time the workspace's state records, so a restart does not forget it
            Gauge.builder(PREFIX + "last_successful_cycle_timestamp_seconds", workspace,
                            w -> !w.held() ? Double.NaN
                                    : w.checkpoint().lastSuccess().map(at -> (double) at.getEpochSecond()).orElse(Double.NaN))
                    .description("end of the last cycle that completed cleanly for the workspace, Unix time")
                    .tag(WORKSPACE, name).register(registry);
            Gauge.builder(PREFIX + "checkpoint_age_seconds", workspace,
                            w -> w.held() ? checkpointAge(w.checkpoint()) : Double.NaN)
                    .description("how far behind now the next cycle starts reading MISP for the workspace")
                    .tag(WORKSPACE, name).register(registry);
            Gauge.builder(PREFIX + "dead_letter_file_bytes", workspace,
                            w -> w.held() ? deadLetterBytes(w.deadLetters().file()) : Double.NaN)
                    .description("size of the workspace's dead-letter file").tag(WORKSPACE, name).register(registry);
            // summed over the instances, each workspace is 1: 0 means no instance delivers it
            Gauge.builder(PREFIX + "workspace_owned", this, m -> m.owns.test(name) ? 1 : 0)
                    .description("1 while this instance owns the workspace (delivers it), else 0")
                    .tag(WORKSPACE, name).register(registry);
        }
    }

    private Counter cycles(String outcome) {
        return Counter.builder(PREFIX + "cycles").description("cycles ended, by the outcome their summary line names")
                .tag("outcome", outcome).register(registry);
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
        (report.clean() ? cyclesComplete : cyclesIncomplete).increment();
        count("attributes_fetched", "attributes read from MISP", null, report.fetched());
        Map<String, CycleReport> parts = report.workspaces().isEmpty()
                ? Map.of(workspaces.get(0).name(), report) : report.workspaces();
        parts.forEach(this::workspaceEnded);
    }

    private void workspaceEnded(String workspace, CycleReport report) {
        count("duplicates", "attributes already delivered", workspace, report.duplicates());
        count("indicators_delivered", "indicators Sentinel accepted", workspace, report.delivered());
        count("refused", "indicators of batches Sentinel did not take; sent again later", workspace, report.failed());
        count("dead_lettered", "indicators Sentinel refused, written to the dead-letter file", workspace,
                report.deadLettered());
        count("revoked", "attributes MISP withdrew, sent as revoked", workspace, report.revoked());
        count("refreshed", "attributes whose indicators were sent again before they expired", workspace,
                report.refreshed());
        count("batches", "batches settled", workspace, report.batches());
        count("throttled", "429 answers from Sentinel", workspace, report.throttled());
        report.skipped().forEach((typeAndReason, n) -> {
            int slash = typeAndReason.lastIndexOf('/');
            String reason = typeAndReason.substring(slash + 1);
            String type = typeAndReason.substring(0, slash);
            Counter.builder(PREFIX + "skipped").description("attributes not sent, by reason and MISP type")
                    .tag("reason", reason).tag("type", MispTypeNames.isMispType(type) ? type : OTHER_TYPE)
                    .tag(WORKSPACE, workspace).register(registry).increment(n);
        });
    }

    /** @param workspace null for a series of MISP's side, which all workspaces share */
    private void count(String name, String description, String workspace, long n) {
        Counter.Builder counter = Counter.builder(PREFIX + name).description(description);
        if (workspace != null) {
            counter.tag(WORKSPACE, workspace);
        }
        counter.register(registry).increment(n);
    }

    private double checkpointAge(Checkpoint checkpoint) {
        OptionalLong at = checkpoint.read();
        return at.isPresent() ? clock.instant().getEpochSecond() - at.getAsLong() : Double.NaN;
    }

    private static double deadLetterBytes(Path deadLetterFile) {
        try {
            return Files.exists(deadLetterFile) ? Files.size(deadLetterFile) : 0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
