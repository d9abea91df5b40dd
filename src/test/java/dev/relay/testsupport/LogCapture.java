package dev.relay.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/** Collects the formatted messages one logger writes at or above a level, while open. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final Level threshold;
    private final List<String> lines = new ArrayList<>();

    private LogCapture(Logger logger, Level threshold) {
        this.logger = logger;
        this.threshold = threshold;
    }

    /** Starts collecting what the logger of {@code owner} (its class name, as JBoss Logging names it) writes. */
    public static LogCapture of(Class<?> owner, Level threshold) {
        LogCapture capture = new LogCapture(Logger.getLogger(owner.getName()), threshold);
        capture.logger.addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() < threshold.intValue()) {
            return;
        }
        // JBoss Logging's printf-style records format themselves; plain JUL records use MessageFormat
        String text = record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                : new SimpleFormatter().formatMessage(record);
        synchronized (lines) {
            lines.add(text);
        }
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
