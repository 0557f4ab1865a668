package dev.mta.server.load;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Keeps the relay's own log lines (accepted, one per attempt, removed: hundreds of thousands in a
 * load test, and a warning for every deferral while a backlog forms) out of the test output, and
 * collects its warnings and errors, so the test can count them and say none was unexpected.
 * Restores the logger when closed.
 */
final class QuietLogs implements AutoCloseable {
    private static final int KEPT = 200;

    private final Logger relayLogger = (Logger) LoggerFactory.getLogger("dev.mta");
    private final Level previous = relayLogger.getLevel();
    private final boolean previousAdditivity = relayLogger.isAdditive();
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
        collector.setContext(relayLogger.getLoggerContext());
        collector.start();
        relayLogger.addAppender(collector);
        relayLogger.setAdditive(false);
        relayLogger.setLevel(Level.WARN);
    }

    /** Forgets what was collected so far, to look at one phase of a test. */
    synchronized void clear() {
        warnings.clear();
        errors.clear();
        warningCount = 0;
        errorCount = 0;
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
        relayLogger.setAdditive(previousAdditivity);
        relayLogger.detachAppender(collector);
        collector.stop();
    }
}
