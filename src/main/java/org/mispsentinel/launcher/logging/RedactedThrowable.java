package org.mispsentinel.launcher.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import org.mispsentinel.config.Redaction;

/** {@code %redactedEx}: stack traces with every known secret value masked. */
public final class RedactedThrowable extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return Redaction.apply(super.throwableProxyToString(proxy));
    }
}
