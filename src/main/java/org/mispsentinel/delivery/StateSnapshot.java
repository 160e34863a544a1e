package org.mispsentinel.delivery;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One workspace's state as {@code --report} shows it.
 *
 * @param checkpoint   how far MISP has been read, on MISP's clock (epoch seconds)
 * @param asOf         the time the counts are for: now, or for a store a running instance holds, the end
 *                     of its last cycle that moved the checkpoint, when it wrote its summary
 * @param fromSummary  the store was in use, so the counts come from that summary
 * @param deadLettered entries in the dead-letter files, counted now in either case
 * @param contextWaiting context objects and relationships waiting to be sent after indicators
 */
public record StateSnapshot(HeldIndicators held, long deadLettered, OptionalLong checkpoint, Optional<Instant> lastSuccess,
                            Instant asOf, boolean fromSummary, long contextWaiting) {
}
