package org.mispsentinel.delivery;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.mispsentinel.config.Settings;
import org.mispsentinel.http.Backoff;
import org.mispsentinel.http.TlsFailure;
import org.mispsentinel.misp.LogLine;
import org.mispsentinel.sentinel.SentinelException;
import org.mispsentinel.sentinel.SentinelThrottledException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two separate retry budgets for one upload: waiting out 429s (as often as
 * {@code sentinel.max-throttled-retries}) must not use up the retries meant for errors
 * ({@code sentinel.max-retries}). Camel counts every redelivery in one counter, so the 429s are
 * counted apart and subtracted.
 */
public final class RetryBudget {

    private static final Logger LOG = LoggerFactory.getLogger(RetryBudget.class);

    static final String THROTTLES = "mispSentinelThrottles";
    private static final String LAST_THROTTLE = "mispSentinelLastThrottle";

    private final Runnable retried;

    /** @param retried told of each upload that is sent again */
    public RetryBudget(Runnable retried) {
        this.retried = retried;
    }

    /** Full budgets for a batch, also for each half of one Sentinel refused whole. */
    public void startBatch(Exchange exchange) {
        exchange.removeProperty(THROTTLES);
        exchange.removeProperty(LAST_THROTTLE);
        exchange.getIn().removeHeader(Exchange.REDELIVERY_COUNTER);
        exchange.getIn().removeHeader(Exchange.REDELIVERED);
    }

    /** Called once per 429 answer, before the failure is raised. */
    public void countThrottle(Exchange exchange) {
        exchange.setProperty(THROTTLES, throttles(exchange) + 1);
        // the failure's number: Camel's doubling of the error delay starts again after a 429's
        exchange.setProperty(LAST_THROTTLE, exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1);
    }

    /**
     * The {@code retryWhile} of the 429 policy. The wait is spent before the retry's request
     * ({@code awaitThrottleWindow}), where a stop can end it, so Camel's redelivery has none.
     */
    public boolean mayRetryThrottled(Exchange exchange) {
        int throttles = throttles(exchange);
        int max = sentinel(exchange).maxThrottledRetries();
        if (throttles > max) {
            return false;
        }
        String wait = failure(exchange) instanceof SentinelThrottledException t
                ? Backoff.spoken(t.waitDuration()) + " " + t.waitSource() : "as Sentinel asks";
        LOG.warn("sentinel: 429 Too Many Requests for workspace {}, attempt {} of {}, waiting {}",
                workspace(exchange).name(), throttles + 1, max + 1, wait);
        return counted(true);
    }

    /**
     * The {@code retryWhile} of the error policy: each retry waits twice as long as the one before,
     * from {@code sentinel.retry-delay-ms} up to {@code sentinel.max-retry-delay-ms}. When Camel
     * asks, its redelivery counter already counts the failure at hand, 429s included.
     */
    public boolean mayRetryFailure(Exchange exchange) {
        int failures = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        int retry = failures - throttles(exchange);
        Settings.Sentinel sentinel = sentinel(exchange);
        if (retry > sentinel.maxRetries()) {
            return false;
        }
        // what Camel waits (the route's policy from the same settings): this is a copy of the exchange
        int sinceThrottle = failures - exchange.getProperty(LAST_THROTTLE, 0, Integer.class);
        Duration wait = Backoff.delay(sentinel.retryDelay(), sentinel.maxRetryDelay(), sinceThrottle);
        LOG.warn("sentinel: {} for workspace {}, attempt {} of {}, waiting {}", what(failure(exchange)),
                workspace(exchange).name(), retry + 1, sentinel.maxRetries() + 1, Backoff.spoken(wait));
        return counted(true);
    }

    private static String what(Exception failure) {
        if (failure == null) {
            return "the upload failed";
        }
        String message = failure instanceof SentinelException ? failure.getMessage()
                : TlsFailure.explain(failure, "Sentinel").orElseGet(() -> "the upload failed: "
                        + failure.getClass().getSimpleName()
                        + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
        return LogLine.clip(message, 300);
    }

    /** Camel evaluates retryWhile on a copy of the exchange, which holds the failure as a property. */
    private static Exception failure(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return caught != null ? caught : exchange.getException();
    }

    private static WorkspaceDelivery workspace(Exchange exchange) {
        return exchange.getProperty(WorkspaceDelivery.PROPERTY, WorkspaceDelivery.class);
    }

    /** The budgets are the settings of the workspace the upload is for. */
    private static Settings.Sentinel sentinel(Exchange exchange) {
        return workspace(exchange).sentinel();
    }

    private boolean counted(boolean retry) {
        if (retry) {
            retried.run();
        }
        return retry;
    }

    private static int throttles(Exchange exchange) {
        return exchange.getProperty(THROTTLES, 0, Integer.class);
    }
}
