package dev.mta.server.smtp;

import dev.mta.queue.MessageStore;
import dev.mta.server.config.ListenerConfig;
import dev.mta.server.config.QueueConfig;
import dev.mta.server.config.SmtpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** What every handler of one listener shares: its settings and the relay's services. */
record ListenerContext(
        String hostname,
        ListenerConfig listener,
        SmtpConfig smtp,
        QueueConfig queueSettings,
        Path dataDirectory,
        MessageStore store,
        Optional<Authenticator> authenticator,
        Clock clock) {

    /** Free space check before taking a message, like Postfix's queue_minfree. */
    boolean storageHasRoom(long bytes) {
        try {
            return Files.getFileStore(dataDirectory).getUsableSpace() >= bytes;
        } catch (IOException e) {
            return false;
        }
    }

    boolean isSubmission() {
        return listener.mode().isSubmission();
    }
}
