package org.mispsentinel.pipeline;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Collects every log event while open: a logback {@link ListAppender} on the root logger, removed
 * again on close. Optionally lowers logger levels for the duration (restored on close), so that
 * debug output can be checked too.
 */
final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Map<Logger, Level> previousLevels = new HashMap<>();

    private LogCapture() {
        appender.setName("test-capture-" + System.identityHashCode(this));
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
    }

    static LogCapture start() {
        return new LogCapture();
    }

    /** Lowers {@code loggerName} to {@code level} until close. */
    LogCapture level(String loggerName, Level level) {
        Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
        previousLevels.putIfAbsent(logger, logger.getLevel());
        logger.setLevel(level);
        return this;
    }

    List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return List.copyOf(appender.list);
        }
    }

    /** Each event as one text: level, logger, formatted message, and the whole throwable chain with stack traces. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events()) {
            lines.add(render(event));
        }
        return lines;
    }

    /** Everything logged, as one text. */
    String text() {
        return String.join("\n", lines());
    }

    static String render(ILoggingEvent event) {
        StringBuilder s = new StringBuilder();
        s.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                .append(event.getFormattedMessage());
        if (event.getMDCPropertyMap() != null && !event.getMDCPropertyMap().isEmpty()) {
            s.append(" mdc=").append(event.getMDCPropertyMap());
        }
        appendThrowable(s, event.getThrowableProxy(), 0);
        return s.toString();
    }

    private static void appendThrowable(StringBuilder s, IThrowableProxy t, int depth) {
        if (t == null || depth > 20) {
            return;
        }
        s.append("\n  ").append(t.getClassName()).append(": ").append(t.getMessage());
        StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
        if (frames != null) {
            for (StackTraceElementProxy frame : frames) {
                s.append("\n    ").append(frame.getSTEAsString());
            }
        }
        if (t.getSuppressed() != null) {
            for (IThrowableProxy suppressed : t.getSuppressed()) {
                appendThrowable(s, suppressed, depth + 1);
            }
        }
        appendThrowable(s, t.getCause(), depth + 1);
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        previousLevels.forEach(Logger::setLevel);
    }
}
