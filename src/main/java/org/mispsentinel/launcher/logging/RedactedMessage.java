package org.mispsentinel.launcher.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.mispsentinel.config.Redaction;

/** {@code %redactedMsg}: the log message with every known secret value masked. */
public final class RedactedMessage extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Redaction.apply(super.convert(event));
    }
}
