package org.mispsentinel.sentinel;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a 429 asks us to wait: the {@code Retry-After} header (seconds or an HTTP date) when
 * present, else the seconds in Sentinel's message ("Try again in 12 seconds."), else a default.
 */
final class RetryAfter {

    private static final Pattern SECONDS_IN_MESSAGE =
            Pattern.compile("(?i)try again in\\s+(\\d{1,6})\\s*(second|sec|s\\b)");

    private RetryAfter() {
    }

    static Duration of(String header, String body, Duration fallback, Clock clock) {
        return fromHeader(header, clock).or(() -> fromMessage(body)).orElse(fallback);
    }

    /** Where {@link #of} found the wait, in the words of a log line. */
    static String source(String header, String body, Clock clock) {
        if (fromHeader(header, clock).isPresent()) {
            return "as Retry-After asks";
        }
        return fromMessage(body).isPresent() ? "as Sentinel's message asks"
                : "(Sentinel named no wait: sentinel.default-retry-after-seconds)";
    }

    static Optional<Duration> fromHeader(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), when.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    static Optional<Duration> fromMessage(String body) {
        if (body == null) {
            return Optional.empty();
        }
        Matcher m = SECONDS_IN_MESSAGE.matcher(body);
        return m.find() ? Optional.of(Duration.ofSeconds(Long.parseLong(m.group(1)))) : Optional.empty();
    }
}
