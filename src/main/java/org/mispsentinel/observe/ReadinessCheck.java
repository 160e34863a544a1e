package org.mispsentinel.observe;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** {@link Readiness} as Camel's health check, so that /observe/health/ready answers with it. */
public final class ReadinessCheck extends AbstractHealthCheck {

    private final Readiness readiness;
    private final BooleanSupplier storeUsable;

    public ReadinessCheck(Readiness readiness, BooleanSupplier storeUsable) {
        super("misp-sentinel", "misp-sentinel");
        this.readiness = readiness;
        this.storeUsable = storeUsable;
    }

    @Override
    public boolean isLiveness() {
        // a stalled feed is not cured by restarting the process
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (!storeUsable.getAsBoolean()) {
            builder.message("the state store is closed or unusable").down();
            return;
        }
        readiness.downReason().ifPresentOrElse(reason -> builder.message(reason).down(), builder::up);
    }
}
