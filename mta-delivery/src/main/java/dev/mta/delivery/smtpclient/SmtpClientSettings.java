package dev.mta.delivery.smtpclient;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link SmtpClient}, fixed at start-up.
 *
 * @param heloName                 the name in EHLO and HELO (RFC 5321 4.1.1.1: the client's FQDN)
 * @param timeouts                 per-stage timeouts
 * @param reuseIdleTime            how long a session may sit idle waiting for another message to
 *                                 the same hop before the client says QUIT; zero turns reuse off
 * @param maxMessagesPerConnection after this many transactions a session is closed, not reused
 * @param quitTimeout              how long the client waits for the reply to QUIT, and how long
 *                                 {@link SmtpClient#close()} waits for sessions to end
 * @param ioThreads                threads of the client's one event loop group
 */
public record SmtpClientSettings(String heloName, SmtpTimeouts timeouts, Duration reuseIdleTime,
                                 int maxMessagesPerConnection, Duration quitTimeout, int ioThreads) {

    // Postfix's smtp_connection_cache_time_limit: long enough for the next message of a burst.
    public static final Duration DEFAULT_REUSE_IDLE_TIME = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_MESSAGES_PER_CONNECTION = 100;
    public static final Duration DEFAULT_QUIT_TIMEOUT = Duration.ofSeconds(10);

    public SmtpClientSettings {
        Objects.requireNonNull(heloName, "heloName");
        if (heloName.isBlank() || heloName.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw new IllegalArgumentException("not a host name for EHLO: '" + heloName + "'");
        }
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(reuseIdleTime, "reuseIdleTime");
        Objects.requireNonNull(quitTimeout, "quitTimeout");
        if (reuseIdleTime.isNegative() || quitTimeout.isNegative() || quitTimeout.isZero()) {
            throw new IllegalArgumentException("reuseIdleTime must not be negative, quitTimeout must be positive");
        }
        if (maxMessagesPerConnection < 1) {
            throw new IllegalArgumentException("maxMessagesPerConnection must be at least 1: " + maxMessagesPerConnection);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1: " + ioThreads);
        }
    }

    /** RFC 5321 timeouts, idle reuse for 2 s, 100 messages per connection, a thread per core. */
    public static SmtpClientSettings defaults(String heloName) {
        return new SmtpClientSettings(heloName, SmtpTimeouts.defaults(), DEFAULT_REUSE_IDLE_TIME,
                DEFAULT_MAX_MESSAGES_PER_CONNECTION, DEFAULT_QUIT_TIMEOUT, Runtime.getRuntime().availableProcessors());
    }

    public SmtpClientSettings withTimeouts(SmtpTimeouts timeouts) {
        return new SmtpClientSettings(heloName, timeouts, reuseIdleTime, maxMessagesPerConnection, quitTimeout, ioThreads);
    }

    public SmtpClientSettings withReuseIdleTime(Duration reuseIdleTime) {
        return new SmtpClientSettings(heloName, timeouts, reuseIdleTime, maxMessagesPerConnection, quitTimeout, ioThreads);
    }

    public SmtpClientSettings withMaxMessagesPerConnection(int maxMessagesPerConnection) {
        return new SmtpClientSettings(heloName, timeouts, reuseIdleTime, maxMessagesPerConnection, quitTimeout, ioThreads);
    }

    public SmtpClientSettings withQuitTimeout(Duration quitTimeout) {
        return new SmtpClientSettings(heloName, timeouts, reuseIdleTime, maxMessagesPerConnection, quitTimeout, ioThreads);
    }

    public SmtpClientSettings withIoThreads(int ioThreads) {
        return new SmtpClientSettings(heloName, timeouts, reuseIdleTime, maxMessagesPerConnection, quitTimeout, ioThreads);
    }
}
