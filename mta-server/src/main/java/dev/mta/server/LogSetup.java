package dev.mta.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.mta.server.config.LoggingConfig;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Applies the configuration's logging to logback, which logback.xml started with text lines at
 * info: the level overall and per logger, and JSON lines where asked. MTA_LOG_LEVEL in the
 * environment wins over the configured overall level, for a quick look without editing the file.
 */
public final class LogSetup {
    private static final String APPENDER = "STDOUT";

    private LogSetup() {
    }

    public static void apply(LoggingConfig logging) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding (a test harness): nothing of ours to set
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        String fromEnvironment = System.getenv("MTA_LOG_LEVEL");
        root.setLevel(level(fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : logging.level()));
        for (Map.Entry<String, String> entry : logging.levels().entrySet()) {
            context.getLogger(entry.getKey()).setLevel(level(entry.getValue()));
        }
        if (logging.json() && root.getAppender(APPENDER) instanceof ConsoleAppender<ILoggingEvent> console) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            // The line as text logs it ("formattedMessage"), not the pattern and its arguments apart.
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.start();
            console.stop();
            console.setEncoder(json);
            console.start();
        }
    }

    private static Level level(String name) {
        return Level.toLevel(name.toUpperCase(Locale.ROOT), Level.INFO);
    }
}
