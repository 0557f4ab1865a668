package dev.mta.server.config;

import java.util.Map;
import java.util.Objects;

/**
 * How the relay logs: one line per event to standard output (journald keeps it).
 *
 * @param json   one JSON object per line instead of text
 * @param level  the level of everything not named in {@code levels}: error, warn, info, debug, trace
 * @param levels levels per logger name ({@code "dev.mta.delivery" = debug})
 */
public record LoggingConfig(boolean json, String level, Map<String, String> levels) {

    public LoggingConfig {
        Objects.requireNonNull(level, "level");
        levels = Map.copyOf(levels);
    }
}
