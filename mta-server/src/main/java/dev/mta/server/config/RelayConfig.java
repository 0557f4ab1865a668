package dev.mta.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The whole configuration, immutable, as parsed from conf/mta.conf and the -o overrides.
 *
 * @param shutdownGracePeriod how long a stop waits for sessions and deliveries under way before
 *                            it ends them (they are then retried: by the client, or from the queue)
 */
public record RelayConfig(String hostname, Path dataDirectory, Duration shutdownGracePeriod, SmtpConfig smtp,
        QueueConfig queue, DeliveryConfig delivery, SendmailConfig sendmail, AdminConfig admin, LoggingConfig logging) {
}
