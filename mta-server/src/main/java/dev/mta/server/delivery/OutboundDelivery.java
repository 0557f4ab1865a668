package dev.mta.server.delivery;

import dev.mta.delivery.attempt.MessageDelivery;
import dev.mta.delivery.dsn.DsnComposer;
import dev.mta.delivery.notice.Notifier;
import dev.mta.delivery.route.AddressResolver;
import dev.mta.delivery.route.Router;
import dev.mta.delivery.route.SelfIdentity;
import dev.mta.delivery.scheduler.DeliveryLimits;
import dev.mta.delivery.scheduler.DeliveryObserver;
import dev.mta.delivery.scheduler.DeliveryService;
import dev.mta.delivery.smtpclient.SmtpClient;
import dev.mta.delivery.smtpclient.SmtpClientSettings;
import dev.mta.delivery.smtpclient.SmtpTimeouts;
import dev.mta.delivery.tlspolicy.HopTlsPolicies;
import dev.mta.delivery.tlspolicy.TrustStores;
import dev.mta.security.policy.HopSecurity;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.X509TrustManager;
import dev.mta.queue.MessageStore;
import dev.mta.queue.retry.QueueLifetime;
import dev.mta.queue.retry.RetryPolicy;
import dev.mta.queue.retry.RetrySchedule;
import dev.mta.security.dns.DnsResolver;
import dev.mta.security.dns.DnsSettings;
import dev.mta.security.dns.DnsjavaResolver;
import dev.mta.server.config.DeliveryConfig;
import dev.mta.server.config.RelayConfig;
import dev.mta.server.tlsrpt.TlsReporting;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The delivery side of the relay put together from its configuration: DNS, router, SMTP client,
 * notifier and the queue manager that drives them.
 */
public final class OutboundDelivery implements AutoCloseable {
    // How often the queue is scanned when nothing wakes the manager (new mail wakes it at once).
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    // A bounce returns the whole message only up to this size, headers beyond it (Postfix's
    // bounce_size_limit is smaller still): a DSN must not be refused for its size itself.
    private static final long RETURNED_MESSAGE_LIMIT = 1024 * 1024;

    private final SmtpClient client;
    private final DeliveryService service;
    private final HopComponents hops;
    private final TlsReporting tlsReports;
    private final Clock clock;
    private final java.util.concurrent.ScheduledExecutorService refresher =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("mta-sts-refresh").factory());

    private OutboundDelivery(SmtpClient client, DeliveryService service, HopComponents hops, TlsReporting tlsReports,
            Clock clock) {
        this.client = client;
        this.service = service;
        this.hops = hops;
        this.tlsReports = tlsReports;
        this.clock = clock;
    }

    /** Builds the delivery side; {@link #start()} sets it going. */
    public static OutboundDelivery create(RelayConfig config, MessageStore store, Clock clock, List<InetSocketAddress> listening) {
        return create(config, store, clock, listening, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /** @param meters where the delivery meters go (see {@link DeliveryMetrics}) */
    public static OutboundDelivery create(RelayConfig config, MessageStore store, Clock clock, List<InetSocketAddress> listening,
            io.micrometer.core.instrument.MeterRegistry meters) {
        return create(config, store, clock, listening, meters, DeliveryObserver.NONE);
    }

    /**
     * @param meters   where the delivery meters go (see {@link DeliveryMetrics})
     * @param observer told of every settled attempt too, after the meters (the status page's history)
     */
    public static OutboundDelivery create(RelayConfig config, MessageStore store, Clock clock, List<InetSocketAddress> listening,
            io.micrometer.core.instrument.MeterRegistry meters, DeliveryObserver observer) {
        DeliveryMetrics metrics = new DeliveryMetrics(meters);
        DeliveryConfig delivery = config.delivery();
        StoredStsPolicies stsCache = new StoredStsPolicies(store.records());
        HopComponents hops = HopComponents.create(config, clock, listening, stsCache, metrics::lookup);
        SmtpClient client = hops.newClient();
        DeliveryConfig.Timeouts t = delivery.timeouts();
        QueueLifetime lifetime = new QueueLifetime(delivery.queueLifetime(), delivery.noticeLifetime());
        RetryPolicy retry = new RetryPolicy(new RetrySchedule(delivery.retryFirst(), delivery.retryMax(), 2.0), lifetime);
        Notifier notifier = new Notifier(store, new DsnComposer(DsnComposer.randomTokens(), RETURNED_MESSAGE_LIMIT), config.hostname(),
                delivery.postmaster(), delivery.delayWarning(), lifetime, clock);
        DeliveryLimits limits = new DeliveryLimits(delivery.maxConnections(), delivery.maxConnectionsPerDestination(),
                leaseTime(t), POLL_INTERVAL);
        TlsReporting tlsReports = TlsReporting.create(config, store, hops.txt(), clock, Optional.of(metrics::session));
        MessageDelivery messageDelivery = hops.messageDelivery(client, tlsReports.reporter());
        DeliveryService service = new DeliveryService(store, messageDelivery,
                notifier, retry, limits, clock, config.hostname() + "/" + ProcessHandle.current().pid(),
                new BothObservers(metrics, observer));
        metrics.bind(() -> service, client::connectionCounts, stsCache::count);
        return new OutboundDelivery(client, service, hops, tlsReports, clock);
    }

    /**
     * A claimed recipient must stay ours for the whole attempt, even one that runs into every
     * timeout; the lease also bounds how long a crashed relay's claims would hold (the store
     * releases them at the next start, since only one relay uses an embedded queue).
     */
    private static Duration leaseTime(DeliveryConfig.Timeouts t) {
        Duration oneHost = t.connect().plus(t.greeting()).plus(t.ehlo()).plus(t.starttls()).plus(t.mail())
                .plus(t.rcpt()).plus(t.data()).plus(t.dataBlock()).plus(t.endOfData());
        Duration lease = oneHost.multipliedBy(2);
        return lease.compareTo(Duration.ofHours(1)) < 0 ? Duration.ofHours(1) : lease;
    }

    public void start() {
        service.start();
        // RFC 8461 5.1: refresh cached policies before they expire, so a domain whose policy
        // server is briefly down keeps its protection.
        hops.stsPolicies().ifPresent(sts -> refresher.scheduleWithFixedDelay(
                () -> {
                    try {
                        sts.refreshDueBefore(clock.instant().plus(Duration.ofDays(1)));
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(OutboundDelivery.class).warn("MTA-STS refresh failed: {}", e.toString());
                    }
                }, 1, 60, java.util.concurrent.TimeUnit.MINUTES));
        tlsReports.start();
    }

    /** TLS reporting (RFC 8460): its counts and the daily sending. */
    public TlsReporting tlsReports() {
        return tlsReports;
    }

    public DeliveryService service() {
        return service;
    }

    /** The routes and TLS policies of a reloaded configuration, from the next attempt on. */
    public void replaceTables(DeliveryConfig delivery) {
        hops.tables().replace(delivery);
    }

    /** New mail was committed: deliver now rather than at the next scan. */
    public void wake() {
        service.wake();
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /** Stops: attempts under way may finish within {@code grace}; what still runs then is abandoned and stays queued. */
    public void close(Duration grace) {
        try {
            refresher.shutdownNow();
            service.close(grace);
            tlsReports.close();
        } finally {
            client.close();
            hops.close();
        }
    }
}
