package org.mispsentinel.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The outcome of one poll cycle, as logged in its summary line and returned to the launcher.
 *
 * @param mispFailed      reading MISP stopped on an error of its own
 * @param sentinelFailed  a batch was not delivered, or the uploads were stopped
 */
public record CycleReport(
        long pages, long fetched, long notToIds, Map<String, Long> skipped, long duplicates, long revoked,
        long indicators, long delivered, long deadLettered, long failed, long batches, long throttled, Duration duration,
        Duration mispTime, Duration mappingTime, Duration uploadTime,
        OptionalLong checkpointBefore, OptionalLong checkpointAfter, List<String> problems,
        boolean mispFailed, boolean sentinelFailed) {

    /** Everything fetched was delivered or deliberately skipped. */
    public boolean clean() {
        return problems.isEmpty() && failed == 0 && deadLettered == 0;
    }

    /** For {@code --once}: 0 clean, 1 when something must be looked at or will be retried. */
    public int exitCode() {
        return clean() ? 0 : 1;
    }

    public long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    public String summary() {
        StringBuilder s = new StringBuilder(256);
        s.append("cycle ").append(clean() ? "complete" : "INCOMPLETE")
                .append(": fetched=").append(fetched)
                .append(" pages=").append(pages)
                .append(" not_to_ids=").append(notToIds)
                .append(" skipped=").append(skippedTotal());
        if (!skipped.isEmpty()) {
            s.append(' ').append(new java.util.TreeMap<>(skipped));
        }
        s.append(" duplicates=").append(duplicates)
                .append(" revoked=").append(revoked)
                .append(" indicators=").append(indicators)
                .append(" delivered=").append(delivered)
                .append(" dead_lettered=").append(deadLettered)
                .append(" failed=").append(failed)
                .append(" batches=").append(batches)
                .append(" throttled_429=").append(throttled)
                .append(" duration=").append(seconds(duration))
                .append(" (misp=").append(seconds(mispTime))
                .append(" mapping=").append(seconds(mappingTime))
                .append(" upload=").append(seconds(uploadTime)).append(')')
                .append(" checkpoint=").append(text(checkpointBefore)).append("->").append(text(checkpointAfter));
        if (!problems.isEmpty()) {
            s.append(" problems=").append(problems);
        }
        return s.toString();
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toNanos() / 1e9);
    }

    private static String text(OptionalLong value) {
        return value.isPresent() ? Long.toString(value.getAsLong()) : "none";
    }
}
