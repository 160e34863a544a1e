package org.mispsentinel.launcher.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mispsentinel.config.Redaction;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A log event whose texts have every known secret value masked, for an encoder to write. Masking
 * must come before the encoding: JSON escaping turns a secret holding {@code /}, {@code "} or
 * {@code \} into text that no longer contains it, so a line masked after escaping keeps the secret.
 */
final class MaskedEvent implements ILoggingEvent {

    private final ILoggingEvent event;

    MaskedEvent(ILoggingEvent event) {
        this.event = event;
    }

    @Override
    public String getFormattedMessage() {
        return Redaction.apply(event.getFormattedMessage());
    }

    @Override
    public String getMessage() {
        return Redaction.apply(event.getMessage());
    }

    /** The arguments are already in the formatted message; apart, they would be unmasked. */
    @Override
    public Object[] getArgumentArray() {
        return null;
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
        return MaskedThrowable.of(event.getThrowableProxy());
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
        return masked(event.getMDCPropertyMap());
    }

    @Override
    public Map<String, String> getMdc() {
        return masked(event.getMdc());
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        return pairs == null ? null : pairs.stream()
                .map(p -> new KeyValuePair(p.key, p.value == null ? null : Redaction.apply(String.valueOf(p.value))))
                .toList();
    }

    private static Map<String, String> masked(Map<String, String> values) {
        if (values == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Redaction.apply(v)));
        return out;
    }

    @Override
    public String getThreadName() {
        return event.getThreadName();
    }

    @Override
    public Level getLevel() {
        return event.getLevel();
    }

    @Override
    public String getLoggerName() {
        return event.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
        return event.getLoggerContextVO();
    }

    @Override
    public StackTraceElement[] getCallerData() {
        return event.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
        return event.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
        return event.getMarkerList();
    }

    @Override
    public long getTimeStamp() {
        return event.getTimeStamp();
    }

    @Override
    public int getNanoseconds() {
        return event.getNanoseconds();
    }

    @Override
    public Instant getInstant() {
        return event.getInstant();
    }

    @Override
    public long getSequenceNumber() {
        return event.getSequenceNumber();
    }

    @Override
    public void prepareForDeferredProcessing() {
        event.prepareForDeferredProcessing();
    }
}
