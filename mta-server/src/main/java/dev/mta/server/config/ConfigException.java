package dev.mta.server.config;

/**
 * A configuration that cannot be used. The message names the file, the line and the key, and
 * says what is wrong, so that start-up failures and {@code mta check-config} point the postmaster
 * straight at the mistake.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
