package org.mispsentinel.delivery;

import org.apache.camel.Exchange;
import org.mispsentinel.config.Settings;

/**
 * Two separate retry budgets for one upload: waiting out 429s (as often as
 * {@code sentinel.max-throttled-retries}) must not use up the retries meant for errors
 * ({@code sentinel.max-retries}). Camel counts every redelivery in one counter, so the 429s are
 * counted apart and subtracted.
 */
public final class RetryBudget {

    static final String THROTTLES = "mispSentinelThrottles";

    private final Runnable retried;

    /** @param retried told of each upload that is sent again */
    public RetryBudget(Runnable retried) {
        this.retried = retried;
    }

    /** Full budgets for a batch, also for each half of one Sentinel refused whole. */
    public void startBatch(Exchange exchange) {
        exchange.removeProperty(THROTTLES);
        exchange.getIn().removeHeader(Exchange.REDELIVERY_COUNTER);
        exchange.getIn().removeHeader(Exchange.REDELIVERED);
    }

    /** Called once per 429 answer, before the failure is raised. */
    public void countThrottle(Exchange exchange) {
        exchange.setProperty(THROTTLES, throttles(exchange) + 1);
    }

    /** The {@code retryWhile} of the 429 policy. */
    public boolean mayRetryThrottled(Exchange exchange) {
        return counted(throttles(exchange) <= sentinel(exchange).maxThrottledRetries());
    }

    /**
     * The {@code retryWhile} of the error policy. When Camel asks, its redelivery counter already
     * counts the failure at hand, 429s included.
     */
    public boolean mayRetryFailure(Exchange exchange) {
        int failures = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        return counted(failures - throttles(exchange) <= sentinel(exchange).maxRetries());
    }

    /** The budgets are the settings of the workspace the upload is for. */
    private static Settings.Sentinel sentinel(Exchange exchange) {
        return exchange.getProperty(WorkspaceDelivery.PROPERTY, WorkspaceDelivery.class).sentinel();
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
