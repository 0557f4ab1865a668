package dev.mta.delivery.scheduler;

import dev.mta.testsupport.time.TestClock;
import dev.mta.delivery.attempt.MessageDelivery;
import dev.mta.delivery.dsn.DsnComposer;
import dev.mta.delivery.notice.Notifier;
import dev.mta.delivery.route.AddressFamily;
import dev.mta.delivery.route.AddressResolver;
import dev.mta.delivery.route.Router;
import dev.mta.delivery.route.SelfIdentity;
import dev.mta.delivery.route.StaticRoutes;
import dev.mta.delivery.smtpclient.SmtpClient;
import dev.mta.delivery.tlspolicy.HopTlsPolicies;
import dev.mta.delivery.tlspolicy.TrustStores;
import dev.mta.security.policy.DestinationPolicy;
import dev.mta.security.policy.DomainTable;
import dev.mta.security.policy.HopSecurity;
import dev.mta.delivery.smtpclient.SmtpClientSettings;
import dev.mta.delivery.smtpclient.SmtpTimeouts;
import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueId;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import dev.mta.queue.retry.QueueLifetime;
import dev.mta.queue.retry.RetryPolicy;
import dev.mta.queue.retry.RetrySchedule;
import dev.mta.security.dns.DnsSettings;
import dev.mta.security.dns.DnsjavaResolver;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A relay's delivery side, really started: an H2 queue in a temporary directory, a DNS server on
 * loopback with the lab's zones, SMTP receivers on 127.0.0.x (all on one port, as MX hosts on
 * port 25 would be), and the queue manager driven pass by pass with a clock the test moves.
 *
 * <p>Zones: example.org has MX 10 mx1 (127.0.0.2) and MX 20 mx2 (127.0.0.3); sender.example
 * has MX 10 mx.sender.example (127.0.0.4), where DSNs for senders @sender.example arrive.
 */
final class DeliveryHarness implements AutoCloseable {
    static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
    static final String HOSTNAME = "relay.test";
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger();

    final TestClock clock = new TestClock(START);
    final TestDnsServer dns;
    final MessageStore store;
    final int port;
    final List<SmtpSinkServer> sinks = new ArrayList<>();
    final SmtpClient client;
    final DeliveryService service;
    final String mx1Address;
    final String mx2Address;
    final String senderMxAddress;
    final DnsjavaResolver resolver;
    private dev.mta.security.mtasts.StsPolicyFetcher stsFetcher;

    private DeliveryHarness(Path directory, Builder builder) throws Exception {
        dns = builder.signed ? TestDnsServer.startSigned() : TestDnsServer.start();
        // Each harness gets its own three loopback addresses, so parallel or lingering receivers never meet.
        int base = 2 + 3 * (NEXT_ADDRESS.getAndIncrement() % 80);
        mx1Address = "127.0.1." + base;
        mx2Address = "127.0.1." + (base + 1);
        senderMxAddress = "127.0.1." + (base + 2);
        SmtpSinkServer first = builder.mx1.address(mx1Address).hostName("mx1.example.org").start();
        port = first.port();
        sinks.add(first);
        sinks.add(builder.mx2.address(mx2Address).port(port).hostName("mx2.example.org").start());
        sinks.add(builder.senderMx.address(senderMxAddress).port(port).hostName("mx.sender.example").start());
        dns.zone("example.org")
                .mx("example.org", 10, "mx1.example.org")
                .mx("example.org", 20, "mx2.example.org")
                .a("mx1.example.org", mx1Address)
                .a("mx2.example.org", mx2Address);
        dns.zone("sender.example").mx("sender.example", 10, "mx.sender.example").a("mx.sender.example", senderMxAddress);
        builder.zones.accept(this);
        store = H2MessageStore.open(H2StoreSettings.defaults(directory.resolve("data")).withClock(clock));
        DnsSettings dnsSettings;
        if (builder.signed) {
            // The validator starts from the test root's anchor, as a lab's relay starts from its root's.
            Path anchors = java.nio.file.Files.writeString(directory.resolve("trust-anchors.txt"), dns.trustAnchor());
            dnsSettings = DnsSettings.validating(List.of(dns.address()), Duration.ofMillis(1500), 1, anchors);
        } else {
            dnsSettings = new DnsSettings(List.of(dns.address()), builder.dnsTimeout, 1);
        }
        resolver = DnsjavaResolver.create(dnsSettings);
        SelfIdentity self = new SelfIdentity(Set.of(HOSTNAME), List.of());
        client = new SmtpClient(SmtpClientSettings.defaults(HOSTNAME)
                .withTimeouts(SmtpTimeouts.uniform(builder.smtpTimeout))
                .withQuitTimeout(builder.smtpTimeout)
                .withReuseIdleTime(builder.reuseIdleTime));
        MessageDelivery delivery = new MessageDelivery(
                new Router(resolver, builder.routes.apply(this), self, port, new Random(7)),
                new AddressResolver(resolver, List.of(AddressFamily.IPV4)), self, client,
                new HopSecurity(resolver, stsPolicies(builder, dnsSettings)), builder.policies, new HopTlsPolicies(Clock.systemUTC(), builder.pkixTrust),
                builder.honourTlsRequiredNo, builder.tlsReports);
        QueueLifetime lifetime = new QueueLifetime(Duration.ofDays(5), Duration.ofDays(2));
        Notifier notifier = new Notifier(store, new DsnComposer(DsnComposer.randomTokens()), HOSTNAME,
                "postmaster@sender.example", builder.delayWarning, lifetime, clock);
        service = new DeliveryService(store, delivery, notifier,
                new RetryPolicy(new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1), 2.0), lifetime),
                new DeliveryLimits(builder.maxConnections, builder.maxPerDestination, Duration.ofHours(1), builder.pollInterval), clock, "test-worker",
                builder.observer);
    }

    /** MTA-STS against the builder's HTTPS policy server, trusting its CA, on its test port. */
    private Optional<dev.mta.security.mtasts.StsPolicies> stsPolicies(Builder builder, DnsSettings dnsSettings) {
        if (builder.stsServer == null) {
            return Optional.empty();
        }
        stsFetcher = new dev.mta.security.mtasts.StsPolicyFetcher(dev.mta.security.mtasts.StsFetchSettings.defaults()
                .withPort(builder.stsServer.port()).withExtraCaFiles(List.of(builder.stsCaFile))
                .withTimeout(Duration.ofSeconds(3)), resolver, Clock.systemUTC());
        return Optional.of(new dev.mta.security.mtasts.StsPolicies(
                dev.mta.security.mtasts.DnsjavaTxtLookup.create(dnsSettings), stsFetcher, builder.stsStore, clock));
    }

    static Builder builder() {
        return new Builder();
    }

    SmtpSinkServer mx1() {
        return sinks.get(0);
    }

    SmtpSinkServer mx2() {
        return sinks.get(1);
    }

    /** The receiver of the domain sender.example, where DSNs to the test senders arrive. */
    SmtpSinkServer senderMx() {
        return sinks.get(2);
    }

    QueueId queue(String sender, String... recipients) throws Exception {
        List<EnvelopeRecipient> list = new ArrayList<>();
        for (String recipient : recipients) {
            list.add(EnvelopeRecipient.of(recipient));
        }
        return queue(sender, list, "Subject: test\r\nMessage-ID: <m1@sender.example>\r\n\r\nHello.\r\n");
    }

    QueueId queue(String sender, List<EnvelopeRecipient> recipients, String body) throws Exception {
        try (IncomingMessage incoming = store.receive()) {
            incoming.body().write(body.getBytes(StandardCharsets.UTF_8));
            incoming.commit(new Envelope(sender, recipients, Envelope.BodyType.SEVEN_BIT, false, Optional.empty(),
                    Optional.empty(), new Envelope.ClientInfo("192.0.2.10", "client.test", Optional.empty()), clock.instant()));
            return incoming.id();
        }
    }

    /** A message whose MAIL carried REQUIRETLS (RFC 8689). */
    QueueId queueRequiringTls(String sender, String recipient) throws Exception {
        try (IncomingMessage incoming = store.receive()) {
            incoming.body().write("Subject: secret\r\n\r\nOnly over authenticated TLS.\r\n".getBytes(StandardCharsets.UTF_8));
            incoming.commit(new Envelope(sender, List.of(EnvelopeRecipient.of(recipient)), Envelope.BodyType.SEVEN_BIT, false,
                    Optional.empty(), Optional.empty(), new Envelope.ClientInfo("192.0.2.10", "client.test", Optional.empty()),
                    clock.instant(), Envelope.Origin.SUBMITTED, true));
            return incoming.id();
        }
    }

    int pass() throws InterruptedException {
        return service.runOnce();
    }

    @Override
    public void close() {
        service.close();
        client.close();
        if (stsFetcher != null) {
            stsFetcher.close();
        }
        store.close();
        sinks.forEach(SmtpSinkServer::close);
        dns.close();
    }

    static final class Builder {
        SmtpSinkServer.Builder mx1 = SmtpSinkServer.builder();
        SmtpSinkServer.Builder mx2 = SmtpSinkServer.builder();
        SmtpSinkServer.Builder senderMx = SmtpSinkServer.builder();
        java.util.function.Function<DeliveryHarness, StaticRoutes> routes = h -> StaticRoutes.none();
        Duration delayWarning = Duration.ofHours(4);
        int maxConnections = 10;
        boolean signed;
        boolean honourTlsRequiredNo = true;
        DeliveryObserver observer = DeliveryObserver.NONE;
        dev.mta.delivery.tlsreport.TlsSessionReporter tlsReports = dev.mta.delivery.tlsreport.TlsSessionReporter.off();
        dev.mta.testsupport.https.TestHttpsServer stsServer;
        Path stsCaFile;
        dev.mta.security.mtasts.StsPolicyStore stsStore = new dev.mta.security.mtasts.InMemoryStsPolicyStore();
        Duration reuseIdleTime = Duration.ZERO;
        DomainTable<DestinationPolicy> policies = DomainTable.empty();
        javax.net.ssl.X509TrustManager pkixTrust = systemTrust();
        int maxPerDestination = 5;
        Duration pollInterval = Duration.ofSeconds(1);
        Duration smtpTimeout = Duration.ofSeconds(5);
        Duration dnsTimeout = Duration.ofMillis(500);
        java.util.function.Consumer<DeliveryHarness> zones = h -> {
        };

        Builder mx1(SmtpSinkServer.Builder sink) {
            this.mx1 = sink;
            return this;
        }

        Builder mx2(SmtpSinkServer.Builder sink) {
            this.mx2 = sink;
            return this;
        }

        /** The receiver of sender.example, where DSNs go. */
        Builder senderMx(SmtpSinkServer.Builder sink) {
            this.senderMx = sink;
            return this;
        }

        /** Routes that may name the harness's receivers (their port is known only once they run). */
        Builder routesTo(java.util.function.Function<DeliveryHarness, StaticRoutes> routes) {
            this.routes = routes;
            return this;
        }

        Builder policies(java.util.Map<String, DestinationPolicy> table) {
            this.policies = DomainTable.of(table);
            return this;
        }

        private static javax.net.ssl.X509TrustManager systemTrust() {
            try {
                return TrustStores.load(Optional.empty());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** MTA-STS policies served by {@code server}, whose certificates {@code caFile} vouches for. */
        Builder mtaSts(dev.mta.testsupport.https.TestHttpsServer server, Path caFile, dev.mta.security.mtasts.StsPolicyStore store) {
            this.stsServer = server;
            this.stsCaFile = caFile;
            this.stsStore = store;
            return this;
        }

        /** Zones signed under a test root whose anchor the relay validates from (DNSSEC, DANE). */
        Builder signed() {
            this.signed = true;
            return this;
        }

        /** Keep sessions for reuse (default: none, so each message opens its own connection). */
        Builder reuseIdleTime(Duration idle) {
            this.reuseIdleTime = idle;
            return this;
        }

        /** Count each session's TLS outcome (RFC 8460) into {@code recorder}. */
        Builder tlsReports(dev.mta.security.tlsrpt.TlsRptRecorder recorder) {
            this.tlsReports = dev.mta.delivery.tlsreport.TlsSessionReporter.to(recorder);
            return this;
        }

        Builder observer(DeliveryObserver observer) {
            this.observer = observer;
            return this;
        }

        Builder honourTlsRequiredNo(boolean honour) {
            this.honourTlsRequiredNo = honour;
            return this;
        }

        Builder pkixTrust(javax.net.ssl.X509TrustManager trust) {
            this.pkixTrust = trust;
            return this;
        }

        /** The SMTP client's timeout at every stage, and for QUIT (5 s unless set). */
        Builder smtpTimeout(Duration timeout) {
            this.smtpTimeout = timeout;
            return this;
        }

        /** How long the resolver waits for one answer, asking once (500 ms unless set; unsigned zones only). */
        Builder dnsTimeout(Duration timeout) {
            this.dnsTimeout = timeout;
            return this;
        }

        Builder pollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        Builder limits(int maxConnections, int maxPerDestination) {
            this.maxConnections = maxConnections;
            this.maxPerDestination = maxPerDestination;
            return this;
        }

        Builder delayWarning(Duration delayWarning) {
            this.delayWarning = delayWarning;
            return this;
        }

        Builder zones(java.util.function.Consumer<DeliveryHarness> zones) {
            this.zones = zones;
            return this;
        }

        DeliveryHarness start(Path directory) throws Exception {
            return new DeliveryHarness(directory, this);
        }
    }
}
