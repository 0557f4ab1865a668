package dev.mta.server.load;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Keeps the relay's per-message info lines (accepted, one per attempt, removed) out of the test
 * output while a load test runs, hundreds of thousands of them, and keeps every warning and
 * error, so the test can say none was logged. Restores the level when closed.
 */
final class QuietLogs implements AutoCloseable {
    private static final int KEPT = 200;

    private final Logger relayLogger = (Logger) LoggerFactory.getLogger("dev.mta");
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Level previous = relayLogger.getLevel();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private int warningCount;
    private int errorCount;
    private final AppenderBase<ILoggingEvent> collector = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
                return;
            }
            String line = event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : " (" + event.getThrowableProxy().getClassName()
                            + ": " + event.getThrowableProxy().getMessage() + ")");
            synchronized (QuietLogs.this) {
                if (event.getLevel() == Level.ERROR) {
                    errorCount++;
                    if (errors.size() < KEPT) {
                        errors.add(line);
                    }
                } else {
                    warningCount++;
                    if (warnings.size() < KEPT) {
                        warnings.add(line);
                    }
                }
            }
        }
    };

    QuietLogs() {
        collector.setContext(root.getLoggerContext());
        collector.start();
        root.addAppender(collector);
        relayLogger.setLevel(Level.WARN);
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    synchronized String counts() {
        return errorCount + " error(s), " + warningCount + " warning(s)";
    }

    @Override
    public void close() {
        relayLogger.setLevel(previous);
        root.detachAppender(collector);
        collector.stop();
    }
}
