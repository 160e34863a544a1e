package org.mispsentinel.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.mispsentinel.config.Redaction;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.misp.LogLine;

/**
 * Whether misp-sentinel is doing its job, as an orchestrator or a load balancer asks: the answer
 * follows the cycles by itself, so a recovered MISP or Sentinel makes it ready again without a
 * restart. A single failed cycle is an ordinary outage the next one recovers from; only a run of
 * them (health.failed-cycles) makes it not ready.
 */
public final class Readiness {

    private final int failedCyclesAllowed;
    private final Duration maxCycleAge;
    private final Clock clock;
    private int mispFailures;
    private int sentinelFailures;
    private String lastProblem;
    private String tokenFailure;
    private Instant lastCycleEnd;

    /** @param maxCycleAge zero: any time without a cycle is fine (a schedule of days, or none) */
    public Readiness(int failedCyclesAllowed, Duration maxCycleAge, Clock clock) {
        this.failedCyclesAllowed = failedCyclesAllowed;
        this.maxCycleAge = maxCycleAge;
        this.clock = clock;
        // a process that never completes its first cycle is as stalled as one that stopped completing
        this.lastCycleEnd = clock.instant();
    }

    public synchronized void cycleEnded(CycleReport report) {
        lastCycleEnd = clock.instant();
        sentinelFailures = report.sentinelFailed() ? sentinelFailures + 1 : 0;
        mispFailures = report.mispFailed() ? mispFailures + 1 : 0;
        lastProblem = report.problems().isEmpty() ? null : report.problems().get(report.problems().size() - 1);
    }

    public synchronized void tokenObtained() {
        tokenFailure = null;
    }

    public synchronized void tokenFailed(Exception cause) {
        tokenFailure = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** Why misp-sentinel is not ready, or empty when it is; never a secret. */
    public synchronized Optional<String> downReason() {
        String reason = null;
        if (tokenFailure != null) {
            reason = "no access token from Entra ID: " + tokenFailure;
        } else if (sentinelFailures >= failedCyclesAllowed) {
            reason = "Sentinel failed in the last " + sentinelFailures + " cycles" + detail();
        } else if (mispFailures >= failedCyclesAllowed) {
            reason = "MISP failed in the last " + mispFailures + " cycles" + detail();
        } else if (!maxCycleAge.isZero() && lastCycleEnd.plus(maxCycleAge).isBefore(clock.instant())) {
            reason = "no cycle completed since " + lastCycleEnd + " (health.max-cycle-age-minutes="
                    + maxCycleAge.toMinutes() + ")";
        }
        return Optional.ofNullable(reason).map(r -> Redaction.apply(LogLine.clip(r, 600)));
    }

    private String detail() {
        return lastProblem == null ? "" : ": " + lastProblem;
    }
}
