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

/**
 * What every handler of one listener shares: its fixed identity and services, the settings a
 * reload replaces ({@link ListenerSettings}), and whether the listener is shutting down.
 */
final class ListenerContext {
    private final String hostname;
    private final ListenerConfig listener;
    private final Path dataDirectory;
    private final MessageStore store;
    private final Clock clock;
    private final ListenerMetrics metrics;
    private final AuthThrottle authThrottle;
    private volatile ListenerSettings settings;
    private volatile boolean draining;
    private volatile ConnectionGate gate;

    ListenerContext(String hostname, ListenerConfig listener, ListenerSettings settings, Path dataDirectory,
            MessageStore store, Clock clock, ListenerMetrics metrics, AuthThrottle authThrottle) {
        this.authThrottle = authThrottle;
        this.hostname = hostname;
        this.listener = listener;
        this.settings = settings;
        this.dataDirectory = dataDirectory;
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
    }

    String hostname() {
        return hostname;
    }

    ListenerConfig listener() {
        return listener;
    }

    SmtpConfig smtp() {
        return settings.smtp();
    }

    QueueConfig queueSettings() {
        return settings.queue();
    }

    Optional<Authenticator> authenticator() {
        return settings.authenticator();
    }

    MessageStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    ListenerMetrics metrics() {
        return metrics;
    }

    AuthThrottle authThrottle() {
        return authThrottle;
    }

    /** Set once when the listener starts: the gate holds the connections. */
    void gate(ConnectionGate connections) {
        gate = connections;
    }

    /** Reads nothing more from this client's connection for {@code pause} (a tarpit that holds no thread). */
    void pauseReading(java.net.InetSocketAddress client, java.time.Duration pause) {
        ConnectionGate connections = gate;
        if (connections != null) {
            connections.pauseReading(client, pause);
        }
    }

    void replace(ListenerSettings newSettings) {
        settings = newSettings;
    }

    /** From now on no new transaction starts: the relay is stopping. */
    void drain() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

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
