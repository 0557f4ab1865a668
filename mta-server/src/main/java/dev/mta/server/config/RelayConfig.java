package dev.mta.server.config;

import java.nio.file.Path;

/** The whole configuration, immutable, as parsed from conf/mta.conf and the -o overrides. */
public record RelayConfig(String hostname, Path dataDirectory, SmtpConfig smtp, QueueConfig queue, DeliveryConfig delivery,
        SendmailConfig sendmail, AdminConfig admin, LoggingConfig logging) {
}
