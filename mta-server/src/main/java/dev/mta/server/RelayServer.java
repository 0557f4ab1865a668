package dev.mta.server;

import dev.mta.queue.MessageStore;
import dev.mta.server.config.ListenerConfig;
import dev.mta.server.config.QueueConfig;
import dev.mta.server.config.SmtpConfig;
import dev.mta.server.config.RelayConfig;
import dev.mta.server.smtp.AuthThrottle;
import dev.mta.server.smtp.Authenticator;
import dev.mta.server.smtp.ListenerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import dev.mta.server.smtp.ServerTls;
import dev.mta.server.smtp.SmtpListener;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running relay: its listeners over one queue store. Start-up is all or nothing: if a
 * listener cannot bind, the ones already bound are closed and the error is reported.
 */
public final class RelayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);

    private final List<SmtpListener> listeners;

    private RelayServer(List<SmtpListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    public static RelayServer start(RelayConfig config, MessageStore store, Optional<ServerTls> tls,
            Optional<Authenticator> authenticator, Clock clock, MeterRegistry meters) throws Exception {
        List<SmtpListener> started = new ArrayList<>();
        ListenerSettings settings = new ListenerSettings(config.smtp(), config.queue(), authenticator);
        // One count of AUTH failures for all listeners: a guesser gains nothing by changing port.
        AuthThrottle authThrottle = new AuthThrottle(clock);
        try {
            for (ListenerConfig listener : config.smtp().listeners()) {
                started.add(SmtpListener.start(config.hostname(), listener, settings, config.dataDirectory(), store, tls,
                        clock, meters, authThrottle));
            }
        } catch (Exception e) {
            started.forEach(SmtpListener::stop);
            throw e;
        }
        LOG.info("relay started hostname={} listeners={}", config.hostname(), started.size());
        return new RelayServer(started);
    }

    /** Where the listener with this name is bound. */
    public InetSocketAddress address(String listenerName) {
        return listeners.stream().filter(l -> l.config().name().equals(listenerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener " + listenerName))
                .boundAddress();
    }

    /** Where every listener is bound: delivery must never connect back to these (loop detection). */
    public java.util.List<InetSocketAddress> addresses() {
        return listeners.stream().map(SmtpListener::boundAddress).toList();
    }

    /** New limits, networks, timeouts and users for every listener, from their next command on. */
    public void replace(SmtpConfig smtp, QueueConfig queue, Optional<Authenticator> authenticator) {
        ListenerSettings settings = new ListenerSettings(smtp, queue, authenticator);
        listeners.forEach(listener -> listener.replace(settings));
    }

    /** No new sessions or transactions: new connections get 421; sessions under way may finish. */
    public void drain() {
        listeners.forEach(SmtpListener::drain);
    }

    /** Sessions open on all listeners now. */
    public int openSessions() {
        return listeners.stream().mapToInt(SmtpListener::openSessions).sum();
    }

    /** Whether every listener still holds its port. */
    public boolean allBound() {
        return listeners.stream().allMatch(SmtpListener::isBound);
    }

    /** Stops every listener at once: each one's event loops wait a quiet period before they end. */
    @Override
    public void close() {
        try (var stopping = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            listeners.forEach(listener -> stopping.submit(listener::stop));
        }
        LOG.info("relay stopped");
    }
}
