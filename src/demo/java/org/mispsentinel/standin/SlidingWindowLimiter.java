package org.mispsentinel.standin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * At most {@code limit} admitted requests in any window of {@code window}. Refused requests do not
 * take a slot, so a client that waits the announced time is admitted (when it is the only client).
 */
final class SlidingWindowLimiter {

    private final int limit;
    private final Duration window;
    private final ArrayDeque<Instant> admitted = new ArrayDeque<>();

    SlidingWindowLimiter(int limit, Duration window) {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("rate limit needs at least 1 request per positive window");
        }
        this.limit = limit;
        this.window = window;
    }

    /** @return 0 when admitted, else whole seconds (at least 1) until a slot frees up */
    synchronized long tryAcquire(Instant now) {
        Instant windowStart = now.minus(window);
        while (!admitted.isEmpty() && !admitted.peekFirst().isAfter(windowStart)) {
            admitted.removeFirst();
        }
        if (admitted.size() < limit) {
            admitted.addLast(now);
            return 0;
        }
        Duration wait = Duration.between(now, admitted.peekFirst().plus(window));
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    int limit() {
        return limit;
    }

    Duration window() {
        return window;
    }
}
