package org.mispsentinel.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The outcome of one poll cycle, as logged in its summary line and returned to the launcher.
 *
 * With several workspaces the delivery counters are their sums, and {@code workspaces} holds each
 * one's own report (whose MISP counters are the cycle's); a report of one workspace has none.
 *
 * @param mispFailed      reading MISP stopped on an error of its own
 * @param sentinelFailed  a batch was not delivered, or the uploads were stopped
 * @param checkpointAfter with several workspaces, the earliest of theirs: where the next read starts
 * @param context         context objects and relationships Sentinel accepted (with
 *                        sentinel.context=with-indicators they are among indicators and delivered too)
 * @param contextWaiting  context still waiting in the state for a later cycle (after-indicators)
 */
public record CycleReport(
        long pages, long fetched, long notToIds, Map<String, Long> skipped, long duplicates, long revoked, long refreshed,
        long indicators, long delivered, long deadLettered, long failed, long batches, long throttled, Duration duration,
        Duration mispTime, Duration mappingTime, Duration uploadTime,
        OptionalLong checkpointBefore, OptionalLong checkpointAfter, List<String> problems,
        boolean mispFailed, boolean sentinelFailed, Map<String, CycleReport> workspaces, long context,
        long contextWaiting) {

    /**
     * The whole cycle from its workspaces' shares, MISP's own skips (malformed attributes) and the
     * problems of reading MISP, which come first.
     */
    static CycleReport combine(Map<String, CycleReport> parts, Map<String, Long> readingSkips,
                               List<String> readingProblems, boolean mispFailed) {
        CycleReport first = parts.values().iterator().next();
        java.util.Map<String, Long> skipped = new java.util.HashMap<>(readingSkips);
        List<String> problems = new java.util.ArrayList<>(readingProblems);
        long notToIds = 0, duplicates = 0, revoked = 0, refreshed = 0, indicators = 0, delivered = 0, deadLettered = 0, failed = 0,
                batches = 0, throttled = 0, context = 0, contextWaiting = 0;
        Duration mapping = Duration.ZERO;
        Duration upload = Duration.ZERO;
        boolean sentinelFailed = false;
        for (CycleReport part : parts.values()) {
            part.skipped.forEach((k, n) -> skipped.merge(k, n, Long::sum));
            problems.addAll(part.problems);
            notToIds += part.notToIds;
            duplicates += part.duplicates;
            revoked += part.revoked;
            refreshed += part.refreshed;
            indicators += part.indicators;
            delivered += part.delivered;
            deadLettered += part.deadLettered;
            failed += part.failed;
            batches += part.batches;
            throttled += part.throttled;
            context += part.context;
            contextWaiting += part.contextWaiting;
            mapping = mapping.plus(part.mappingTime);
            upload = upload.plus(part.uploadTime);
            sentinelFailed |= part.sentinelFailed;
        }
        return new CycleReport(first.pages, first.fetched, notToIds, Map.copyOf(skipped), duplicates, revoked, refreshed,
                indicators,
                delivered, deadLettered, failed, batches, throttled, first.duration, first.mispTime, mapping, upload,
                earliest(parts, CycleReport::checkpointBefore), earliest(parts, CycleReport::checkpointAfter),
                List.copyOf(problems), mispFailed, sentinelFailed, parts.size() > 1 ? Map.copyOf(parts) : Map.of(),
                context, contextWaiting);
    }

    private static OptionalLong earliest(Map<String, CycleReport> parts,
                                         java.util.function.Function<CycleReport, OptionalLong> which) {
        OptionalLong min = null;
        for (CycleReport part : parts.values()) {
            OptionalLong at = which.apply(part);
            if (at.isEmpty()) {
                return at;
            }
            min = min == null || at.getAsLong() < min.getAsLong() ? at : min;
        }
        return min;
    }

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

    /**
     * The summary's counters by the names it uses, for structured logs (JSON lines carry them as
     * fields of their own, beside the message).
     */
    public java.util.Map<String, Object> counters() {
        java.util.Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("outcome", clean() ? "complete" : "INCOMPLETE");
        c.put("fetched", fetched);
        c.put("pages", pages);
        c.put("not_to_ids", notToIds);
        c.put("skipped", skippedTotal());
        c.put("duplicates", duplicates);
        c.put("revoked", revoked);
        c.put("refreshed", refreshed);
        c.put("indicators", indicators);
        c.put("delivered", delivered);
        c.put("dead_lettered", deadLettered);
        c.put("failed", failed);
        c.put("batches", batches);
        c.put("throttled_429", throttled);
        c.put("context", context);
        c.put("context_waiting", contextWaiting);
        c.put("duration_seconds", duration.toMillis() / 1000.0);
        c.put("checkpoint_before", text(checkpointBefore));
        c.put("checkpoint_after", text(checkpointAfter));
        return c;
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
                .append(" refreshed=").append(refreshed)
                .append(" indicators=").append(indicators)
                .append(" delivered=").append(delivered)
                .append(" dead_lettered=").append(deadLettered)
                .append(" failed=").append(failed)
                .append(" batches=").append(batches)
                .append(" throttled_429=").append(throttled)
                .append(" context=").append(context)
                .append(" context_waiting=").append(contextWaiting)
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
