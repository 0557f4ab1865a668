package dev.mta.server.tlsrpt;

import dev.mta.delivery.tlspolicy.TrustStores;
import dev.mta.delivery.tlsreport.TlsSessionReporter;
import dev.mta.queue.MessageStore;
import dev.mta.queue.StoreException;
import dev.mta.security.mtasts.TxtLookup;
import dev.mta.security.tlsrpt.TlsRptHttpsSender;
import dev.mta.security.tlsrpt.TlsRptRecorder;
import dev.mta.security.tlsrpt.TlsRptScheduler;
import dev.mta.security.tlsrpt.SessionOutcome;
import dev.mta.security.tlsrpt.TlsRptSettings;
import dev.mta.server.config.RelayConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS reporting (RFC 8460) put together from the configuration: delivery counts sessions into a
 * store kept in the queue database, which is flushed every minute; every ten minutes the reports
 * of completed days are sent. Off, it counts nothing and sends nothing.
 */
public final class TlsReporting implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsReporting.class);
    // A crash loses at most this much counting (statistics, never mail).
    private static final Duration FLUSH_INTERVAL = Duration.ofMinutes(1);
    // Reports become due once a day; this is how soon after that they go, and the retry interval.
    private static final Duration DISPATCH_INTERVAL = Duration.ofMinutes(10);
    private static final Duration HTTPS_TIMEOUT = Duration.ofSeconds(30);

    private final Optional<StoredTlsRptStore> counts;
    private final TlsSessionReporter reporter;
    private final Optional<TlsRptDispatcher> dispatcher;
    private final Clock clock;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("tls-reports").factory());

    private TlsReporting(Optional<StoredTlsRptStore> counts, TlsSessionReporter reporter,
            Optional<TlsRptDispatcher> dispatcher, Clock clock) {
        this.counts = counts;
        this.reporter = reporter;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    /**
     * @param queue the relay's queue (the waking store, so that a mailed report leaves at once)
     * @throws IllegalStateException when the counts cannot be loaded or the CA file cannot be read
     */
    public static TlsReporting create(RelayConfig config, MessageStore queue, TxtLookup txt, Clock clock) {
        return create(config, queue, txt, clock, Optional.empty());
    }

    /** @param alsoTo where every session goes as well, reporting on or off (metrics) */
    public static TlsReporting create(RelayConfig config, MessageStore queue, TxtLookup txt, Clock clock,
            Optional<Consumer<SessionOutcome>> alsoTo) {
        TlsRptSettings settings = config.delivery().tlsReports();
        if (!settings.enabled()) {
            return new TlsReporting(Optional.empty(), alsoTo.map(TlsSessionReporter::to).orElse(TlsSessionReporter.off()),
                    Optional.empty(), clock);
        }
        StoredTlsRptStore counts;
        try {
            counts = StoredTlsRptStore.open(queue.records(), clock);
        } catch (StoreException e) {
            throw new IllegalStateException("cannot load the TLS report counts: " + e.getMessage(), e);
        }
        TlsRptScheduler scheduler = new TlsRptScheduler(counts, settings);
        TlsRptDispatcher dispatcher = new TlsRptDispatcher(scheduler, txt,
                new TlsRptHttpsSender(collectorTrust(config), HTTPS_TIMEOUT), queue, config.hostname(),
                TlsRptDispatcher.retryWindow(settings));
        TlsRptRecorder recorder = new TlsRptRecorder(counts, settings, clock);
        Consumer<SessionOutcome> sink = alsoTo.map(also -> (Consumer<SessionOutcome>) outcome -> {
            recorder.record(outcome);
            also.accept(outcome);
        }).orElse(recorder::record);
        return new TlsReporting(Optional.of(counts), TlsSessionReporter.to(sink), Optional.of(dispatcher), clock);
    }

    /** Collectors are authenticated like policy servers: the JDK's CAs, or the lab's CA file. */
    private static SSLContext collectorTrust(RelayConfig config) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {TrustStores.load(config.delivery().tlsCaFile())}, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the CAs for TLS report collectors: " + e.getMessage(), e);
        }
    }

    /** Where delivery counts its sessions. */
    public TlsSessionReporter reporter() {
        return reporter;
    }

    /** Starts the periodic flush and dispatch. */
    public void start() {
        if (dispatcher.isEmpty()) {
            return;
        }
        timer.scheduleWithFixedDelay(this::flush, FLUSH_INTERVAL.toSeconds(), FLUSH_INTERVAL.toSeconds(), TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::sendDue, 1, DISPATCH_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends every report that is due now; what the timer does every ten minutes. */
    public synchronized List<DispatchOutcome> sendDue() {
        if (dispatcher.isEmpty()) {
            return List.of();
        }
        flush();
        try {
            return dispatcher.get().runOnce(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("TLS reports not sent: {}", e.toString());
            return List.of();
        }
    }

    private void flush() {
        counts.ifPresent(StoredTlsRptStore::flush);
    }

    /** Stops the timer and writes the last counts; call before the queue is closed. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        counts.ifPresent(StoredTlsRptStore::close);
    }
}
