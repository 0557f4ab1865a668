package dev.mta.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The lines one logger wrote while a test ran, at the level the test asks for. */
public final class LogLines implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previous;

    private LogLines(String name, Level level) {
        logger = (Logger) LoggerFactory.getLogger(name);
        previous = logger.getLevel();
        appender.start();
        logger.setLevel(level);
        logger.addAppender(appender);
    }

    public static LogLines of(String logger, String level) {
        return new LogLines(logger, Level.toLevel(level));
    }

    public List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    public String all() {
        return String.join("\n", lines());
    }

    public void clear() {
        synchronized (appender.list) {
            appender.list.clear();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previous);
    }
}
