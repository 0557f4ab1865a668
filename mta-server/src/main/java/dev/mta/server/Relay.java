package dev.mta.server;

import dev.mta.queue.MessageStore;
import dev.mta.queue.StoreException;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import dev.mta.security.tls.KeyMaterialException;
import dev.mta.security.tls.PemKeyMaterial;
import dev.mta.security.tls.ServerTlsContext;
import dev.mta.security.users.UsersFile;
import dev.mta.security.users.UsersFileException;
import dev.mta.server.admin.AdminRoute;
import dev.mta.server.admin.AdminServer;
import dev.mta.server.admin.ReloadResource;
import dev.mta.server.admin.BearerToken;
import dev.mta.server.admin.DeliveryHistory;
import dev.mta.server.admin.ReadinessCheck;
import dev.mta.server.admin.QueueMetrics;
import dev.mta.server.admin.QueueResource;
import dev.mta.server.admin.RelayMetrics;
import dev.mta.server.config.ConfigChanges;
import dev.mta.server.config.ConfigLoader;
import dev.mta.server.admin.StatusResource;
import dev.mta.server.config.RelayConfig;
import dev.mta.server.delivery.OutboundDelivery;
import dev.mta.server.delivery.WakingStore;
import dev.mta.server.pickup.DropDirectory;
import dev.mta.server.pickup.PickupService;
import dev.mta.server.smtp.Authenticator;
import dev.mta.server.smtp.ServerTls;
import dev.mta.server.tls.ReloadableSslContext;
import dev.mta.server.tls.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole relay process put together from its configuration: queue store, TLS material, users,
 * listeners. {@code mta serve} runs one; tests start one in-process on loopback.
 */
public final class Relay implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Relay.class);

    // How often the mail drop is scanned, and when a half-written drop file counts as abandoned.
    private static final Duration PICKUP_INTERVAL = Duration.ofSeconds(1);
    private static final Duration ABANDONED_DROP = Duration.ofHours(36);
    // How often a stop looks whether the last sessions have ended.
    private static final Duration DRAIN_POLL = Duration.ofMillis(50);

    private final RelayMetrics metrics;
    private final MessageStore store;
    private final RelayServer server;
    private final Optional<OutboundDelivery> delivery;
    private final PickupService pickup;
    private final RelayState state;
    private final Optional<AdminServer> admin;
    private final ReloadableSslContext tls;
    private final Optional<ConfigSource> source;
    private final Clock clock;
    private volatile RelayConfig config;
    // The configuration with its source text, to tell what a reload changes: the one in force,
    // and the one the relay started with (restart-only settings still have its values); null
    // without a source.
    private volatile ConfigLoader.Loaded current;
    private final ConfigLoader.Loaded startedWith;

    private Relay(Parts parts, Optional<AdminServer> admin) {
        this.metrics = parts.metrics;
        this.store = parts.store;
        this.server = parts.server;
        this.delivery = parts.delivery;
        this.pickup = parts.pickup;
        this.state = parts.state;
        this.admin = admin;
        this.tls = parts.tls;
        this.source = parts.source;
        this.clock = parts.clock;
        this.config = parts.config;
        this.current = parts.loaded;
        this.startedWith = parts.loaded;
    }

    /** What /health/ready reports: set as the parts come up, cleared when stopping begins. */
    private static final class RelayState {
        volatile boolean storeOpen;
        volatile boolean stopping;
    }

    /** The parts started so far, so that a failure later in start-up can close them. */
    private static final class Parts {
        RelayMetrics metrics;
        MessageStore store;
        RelayServer server;
        Optional<OutboundDelivery> delivery = Optional.empty();
        PickupService pickup;
        RelayState state = new RelayState();
        ReloadableSslContext tls;
        Optional<ConfigSource> source;
        Clock clock;
        ConfigLoader.Loaded loaded;
        RelayConfig config;
        // The relay, once made: the admin listener (started before it) reloads through it.
        volatile Optional<Relay> self = Optional.empty();
    }

    @SafeVarargs
    private static List<AdminRoute> routes(List<AdminRoute>... groups) {
        return java.util.Arrays.stream(groups).flatMap(List::stream).toList();
    }

    /**
     * Starts a relay whose configuration can be reloaded: {@code source} is read now, and again
     * at each {@link #reload()}.
     */
    public static Relay start(ConfigSource source, Clock clock) throws Exception {
        ConfigLoader.Loaded loaded = source.load();
        return start(loaded.config(), Optional.of(loaded), Optional.of(source), clock);
    }

    /** Starts a relay from a fixed configuration; it has nothing to reload from. */
    public static Relay start(RelayConfig config, Clock clock) throws Exception {
        return start(config, Optional.empty(), Optional.empty(), clock);
    }

    private static Relay start(RelayConfig config, Optional<ConfigLoader.Loaded> loaded, Optional<ConfigSource> source,
            Clock clock) throws Exception {
        Files.createDirectories(config.dataDirectory());
        Parts parts = new Parts();
        parts.source = source;
        parts.clock = clock;
        parts.loaded = loaded.orElse(null);
        parts.config = config;
        // Made first, so that every part can be given the registry to count in.
        parts.metrics = RelayMetrics.create();
        // Netty's pooled buffers, which every SMTP session reads and writes through.
        new io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics(
                io.netty.buffer.PooledByteBufAllocator.DEFAULT).bindTo(parts.metrics.registry());
        // What delivery did lately, for the admin listener's status page.
        DeliveryHistory history = new DeliveryHistory(clock);
        try {
            parts.store = openStore(config, clock);
            parts.state.storeOpen = true;
            QueueMetrics.bind(parts.store, parts.metrics.registry(), clock);
            ServerTls serverTls = loadTls(config, clock);
            parts.tls = ReloadableSslContext.of(serverTls.context());
            Optional<Authenticator> authenticator = loadUsers(config);
            // Listeners start first (their bound ports tell delivery which hops would loop back);
            // mail they commit before delivery is up is found by its first queue scan.
            AtomicReference<OutboundDelivery> wakeTarget = new AtomicReference<>();
            MessageStore listenerStore = new WakingStore(parts.store, () -> {
                OutboundDelivery target = wakeTarget.get();
                if (target != null) {
                    target.wake();
                }
            });
            parts.pickup = new PickupService(DropDirectory.inDataDirectory(config.dataDirectory()), listenerStore,
                    config.hostname(), clock, PICKUP_INTERVAL);
            parts.pickup.removeAbandonedTemporaryFiles(ABANDONED_DROP);
            parts.server = RelayServer.start(config, listenerStore,
                    Optional.of(new ServerTls(parts.tls, serverTls.protocols(), serverTls.cipherSuites())), authenticator,
                    clock, parts.metrics.registry());
            if (config.delivery().enabled()) {
                parts.delivery = Optional.of(OutboundDelivery.create(config, parts.store, clock, parts.server.addresses(),
                        parts.metrics.registry(), history));
                parts.delivery.get().start();
                wakeTarget.set(parts.delivery.get());
            } else {
                LOG.warn("delivery.enabled = false: mail is accepted and queued, but not sent");
            }
            // Mail the sendmail command dropped, also while the server was down (at-least-once).
            parts.pickup.start();
            // Last, so that "ready" is never seen before the relay can take mail.
            Optional<AdminServer> admin = Optional.empty();
            if (config.admin().enabled()) {
                RelayState state = parts.state;
                RelayServer server = parts.server;
                MessageStore store = parts.store;
                // The queue API acts on the waking store, so a release or flush is delivered at once.
                admin = Optional.of(AdminServer.start(config.admin(), parts.metrics, List.of(
                        new ReadinessCheck("queue-store", () -> state.storeOpen && store.isOpen()),
                        new ReadinessCheck("smtp-listeners", () -> !state.stopping && server.allBound())),
                        routes(QueueResource.routes(listenerStore, clock),
                                StatusResource.routes(listenerStore, history, clock, config.hostname()),
                                ReloadResource.routes(() -> parts.self.orElseThrow().reload())),
                        clock));
            }
            Relay relay = new Relay(parts, admin);
            parts.self = Optional.of(relay);
            return relay;
        } catch (Exception | Error e) {
            closeAll(parts);
            throw e;
        }
    }

    /** Closes whatever start-up had opened, in the reverse order. */
    private static void closeAll(Parts parts) {
        if (parts.pickup != null) {
            parts.pickup.close();
        }
        if (parts.server != null) {
            parts.server.close();
        }
        parts.delivery.ifPresent(OutboundDelivery::close);
        if (parts.store != null) {
            parts.store.close();
        }
        parts.metrics.close();
    }

    public static MessageStore openStore(RelayConfig config, Clock clock) throws StoreException {
        return H2MessageStore.open(H2StoreSettings.defaults(config.dataDirectory())
                .withClock(clock)
                .withMinFreeBytes(config.queue().minFreeSpace())
                .withReserveBytes(config.queue().reserveSpace()));
    }

    /** Loads what the configuration points at (certificate, key, users), so mistakes show before start. */
    public static void checkFiles(RelayConfig config) throws Exception {
        if (config.smtp().certificate().isPresent()) {
            ServerTlsContext.load(config.smtp().certificate().get(), config.smtp().privateKey().orElseThrow());
        }
        loadUsers(config);
        if (config.admin().enabled() && config.admin().tokenFile().isPresent()) {
            BearerToken.load(config.admin().tokenFile().get());
        }
    }

    static ServerTls loadTls(RelayConfig config, Clock clock) throws IOException, KeyMaterialException {
        Path certificate;
        Path key;
        if (config.smtp().certificate().isPresent()) {
            certificate = config.smtp().certificate().get();
            key = config.smtp().privateKey().orElseThrow();
        } else {
            SelfSignedCertificate.PemPaths generated =
                    SelfSignedCertificate.ensure(config.dataDirectory().resolve("tls"), config.hostname(), clock);
            certificate = generated.certificate();
            key = generated.privateKey();
        }
        ServerTlsContext context = ServerTlsContext.create(PemKeyMaterial.load(certificate, key));
        return new ServerTls(context.sslContext(), context.enabledProtocols(), context.enabledCipherSuites());
    }

    static Optional<Authenticator> loadUsers(RelayConfig config) throws UsersFileException {
        if (config.smtp().usersFile().isEmpty()) {
            return Optional.empty();
        }
        UsersFile users = UsersFile.load(config.smtp().usersFile().get());
        return Optional.of(users::authenticate);
    }

    public MessageStore store() {
        return store;
    }

    public InetSocketAddress address(String listenerName) {
        return server.address(listenerName);
    }

    public Optional<OutboundDelivery> delivery() {
        return delivery;
    }

    /** SMTP sessions open on all listeners now. */
    public int openSessions() {
        return server.openSessions();
    }

    /** The relay's meter registry, served at the admin listener's /metrics. */
    public RelayMetrics metrics() {
        return metrics;
    }

    /** Where the admin listener is bound, when admin.enabled. */
    public Optional<InetSocketAddress> adminAddress() {
        return admin.map(AdminServer::boundAddress);
    }

    /**
     * Reads the configuration again and applies what a running relay can: the listeners' limits,
     * networks, timeouts, certificate and users, delivery's routes and TLS policies, and logging;
     * sessions and deliveries under way are not dropped.
     * Everything is read and checked before anything changes, so a broken file, certificate or
     * users file leaves the relay exactly as it was.
     *
     * @throws ReloadRefused with the reason, when the new configuration cannot be used
     */
    public synchronized ReloadOutcome reload() throws ReloadRefused {
        if (source.isEmpty()) {
            throw new ReloadRefused("this relay was started from a fixed configuration; there is nothing to re-read", null);
        }
        ConfigLoader.Loaded next;
        ServerTls nextTls;
        Optional<Authenticator> nextUsers;
        try {
            next = source.get().load();
            nextTls = loadTls(next.config(), clock);
            nextUsers = loadUsers(next.config());
        } catch (IOException | KeyMaterialException | UsersFileException | RuntimeException e) {
            // RuntimeException: ConfigException (file, line, key), and unreadable key material.
            LOG.error("reload refused, configuration unchanged: {}", e.getMessage());
            throw new ReloadRefused(e.getMessage(), e);
        }
        java.util.Set<String> changed = ConfigChanges.between(current.merged(), next.merged());
        // Against the start: a restart-only change stays pending through later reloads.
        java.util.Set<String> restartNeeded = ConfigChanges.restartNeeded(ConfigChanges.between(startedWith.merged(), next.merged()));
        tls.replace(nextTls.context());
        server.replace(next.config().smtp(), next.config().queue(), nextUsers);
        delivery.ifPresent(d -> d.replaceTables(next.config().delivery()));
        if (changed.stream().anyMatch(key -> key.startsWith("logging."))) {
            LogSetup.apply(next.config().logging());
        }
        current = next;
        config = next.config();
        LOG.info("reloaded configuration, certificate and users: {} setting(s) changed{}", changed.size(),
                restartNeeded.isEmpty() ? "" : "; these take effect at the next restart: " + String.join(", ", restartNeeded));
        return new ReloadOutcome(List.copyOf(restartNeeded));
    }

    /** Waits for {@code thread} to end; an interrupt is kept for later, since the queue must not close under it. */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops in order, within the grace period: no new sessions or transactions (421), the mail
     * drop no longer read; sessions under way and delivery attempts under way may finish; at the
     * deadline what is left is ended (a session gets 421, an attempt cut short stays queued) and
     * the queue is closed.
     */
    @Override
    public void close() {
        state.stopping = true;
        Duration grace = config.shutdownGracePeriod();
        long deadline = System.nanoTime() + grace.toNanos();
        LOG.info("stopping: new sessions get 421; waiting up to {}s for {} open session(s)", grace.toSeconds(),
                server.openSessions());
        try {
            pickup.close();
            server.drain();
            // Delivery winds down at the same time as the sessions, within the same deadline.
            Thread deliveryStop = Thread.ofVirtual().name("mta-delivery-stop").start(() -> delivery.ifPresent(
                    d -> d.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))));
            while (server.openSessions() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(DRAIN_POLL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            server.close();
            joinUninterruptibly(deliveryStop);
        } finally {
            admin.ifPresent(AdminServer::close);
            state.storeOpen = false;
            store.close();
            metrics.close();
        }
    }
}
