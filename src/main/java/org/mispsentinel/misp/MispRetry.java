package org.mispsentinel.misp;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.mispsentinel.http.Backoff;
import org.mispsentinel.http.TlsFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code retryWhile} of a MISP request that failed in a way a retry may cure (5xx, 429, a
 * timeout, a reset, a page that did not parse): up to {@code misp.max-retries} retries, each waiting
 * twice as long as the one before from {@code misp.retry-delay-ms} (the route's redelivery policy),
 * and one log line for each in the product's words instead of Camel's dump of the exchange.
 */
public final class MispRetry {

    private static final Logger LOG = LoggerFactory.getLogger(MispRetry.class);
    /** Camel's own ceiling for a doubling redelivery delay, kept */
    private static final Duration CEILING = Duration.ofMinutes(1);

    private final int maxRetries;
    private final Duration firstDelay;

    public MispRetry(int maxRetries, Duration firstDelay) {
        this.maxRetries = maxRetries;
        this.firstDelay = firstDelay;
    }

    public boolean mayRetry(Exchange exchange) {
        // when Camel asks, its counter already counts the retry it would make
        int retry = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        if (retry > maxRetries) {
            return false;
        }
        // Camel waits this long (the route's policy from the same settings); this is a copy of the
        // exchange, so the wait is computed as Camel does and only said here
        Duration wait = Backoff.delay(firstDelay, CEILING, retry);
        LOG.warn("misp: {}, attempt {} of {}, waiting {} before asking again",
                what(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)), retry + 1, maxRetries + 1,
                Backoff.spoken(wait));
        return true;
    }

    private static String what(Exception failure) {
        if (failure == null) {
            return "the request failed";
        }
        if (failure instanceof MispException) {
            return LogLine.clip(failure.getMessage(), 300);
        }
        return TlsFailure.explain(failure, "MISP").orElseGet(() -> "the request failed: "
                + failure.getClass().getSimpleName() + (failure.getMessage() == null ? ""
                : ": " + LogLine.clip(failure.getMessage(), 300)));
    }
}
