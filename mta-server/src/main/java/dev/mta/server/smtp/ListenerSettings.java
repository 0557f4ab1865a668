package dev.mta.server.smtp;

import dev.mta.server.config.QueueConfig;
import dev.mta.server.config.SmtpConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reload may change on a running listener: limits, relay networks, timeouts, the users.
 * A session reads them command by command, so a new value applies from the next command on, and
 * nobody's session is dropped for it. The listener's address, port and mode are not here: they
 * take a restart.
 *
 * @param authenticator checks AUTH; empty: AUTH is not offered
 */
public record ListenerSettings(SmtpConfig smtp, QueueConfig queue, Optional<Authenticator> authenticator) {

    public ListenerSettings {
        Objects.requireNonNull(smtp, "smtp");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(authenticator, "authenticator");
    }
}
