package org.mispsentinel.launcher.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import org.mispsentinel.config.Redaction;

/**
 * Logback's own JSON lines with every known secret value masked. The event is masked before it is
 * encoded (JSON escaping changes a secret that holds {@code /}, {@code "} or a backslash); the line
 * is masked once more after, for text the encoder adds on its own.
 */
public final class RedactedJsonEncoder extends JsonEncoder {

    /**
     * One readable message per line: the formatted one, not the template and its arguments apart;
     * the logger context's name and birth date say nothing about a cycle.
     */
    public RedactedJsonEncoder() {
        setWithFormattedMessage(true);
        setWithMessage(false);
        setWithArguments(false);
        setWithContext(false);
        setWithSequenceNumber(false);
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return Redaction.apply(new String(super.encode(new MaskedEvent(event)), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
}
