package org.mispsentinel.http;

import java.time.Duration;

/** The wait before a retry after an error: doubling from the first, up to a ceiling. */
public final class Backoff {

    private Backoff() {
    }

    /** @param retry 1 for the first retry */
    public static Duration delay(Duration first, Duration ceiling, int retry) {
        long millis = first.toMillis();
        for (int i = 1; i < retry && millis < ceiling.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, ceiling.toMillis()));
    }

    /** A wait as a log line says it: whole seconds, or milliseconds below one second. */
    public static String spoken(Duration wait) {
        return wait.toMillis() < 1000 ? wait.toMillis() + " ms" : Math.round(wait.toMillis() / 1000.0) + " s";
    }
}
