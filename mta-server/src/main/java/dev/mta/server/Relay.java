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
import dev.mta.server.admin.BearerToken;
import dev.mta.server.admin.DeliveryHistory;
import dev.mta.server.admin.ReadinessCheck;
import dev.mta.server.admin.QueueMetrics;
import dev.mta.server.admin.QueueResource;
import dev.mta.server.admin.RelayMetrics;
import dev.mta.server.admin.StatusResource;
import dev.mta.server.config.RelayConfig;
import dev.mta.server.delivery.OutboundDelivery;
import dev.mta.server.delivery.WakingStore;
import dev.mta.server.pickup.DropDirectory;
import dev.mta.server.pickup.PickupService;
import dev.mta.server.smtp.Authenticator;
import dev.mta.server.smtp.ServerTls;
import dev.mta.server.tls.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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

    private final RelayMetrics metrics;
    private final MessageStore store;
    private final RelayServer server;
    private final Optional<OutboundDelivery> delivery;
    private final PickupService pickup;
    private final RelayState state;
    private final Optional<AdminServer> admin;

    private Relay(RelayMetrics metrics, MessageStore store, RelayServer server, Optional<OutboundDelivery> delivery,
            PickupService pickup, RelayState state, Optional<AdminServer> admin) {
        this.metrics = metrics;
        this.store = store;
        this.server = server;
        this.delivery = delivery;
        this.pickup = pickup;
        this.state = state;
        this.admin = admin;
    }

    /** What /health/ready reports: set as the parts come up, cleared when closing begins. */
    private static final class RelayState {
        volatile boolean storeOpen;
        volatile boolean listenersBound;
    }

    public static Relay start(RelayConfig config, Clock clock) throws Exception {
        Files.createDirectories(config.dataDirectory());
        // Made first, so that every part can be given the registry to count in.
        RelayMetrics metrics = RelayMetrics.create();
        MessageStore store;
        try {
            store = openStore(config, clock);
        } catch (Exception e) {
            metrics.close();
            throw e;
        }
        RelayState state = new RelayState();
        state.storeOpen = true;
        QueueMetrics.bind(store, metrics.registry(), clock);
        // What delivery did lately, for the admin listener's status page.
        DeliveryHistory history = new DeliveryHistory(clock);
        try {
            Optional<ServerTls> tls = Optional.of(loadTls(config, clock));
            Optional<Authenticator> authenticator = loadUsers(config);
            // Listeners start first (their bound ports tell delivery which hops would loop back);
            // mail they commit before delivery is up is found by its first queue scan.
            AtomicReference<OutboundDelivery> wakeTarget = new AtomicReference<>();
            MessageStore listenerStore = new WakingStore(store, () -> {
                OutboundDelivery target = wakeTarget.get();
                if (target != null) {
                    target.wake();
                }
            });
            PickupService pickup = new PickupService(DropDirectory.inDataDirectory(config.dataDirectory()), listenerStore,
                    config.hostname(), clock, PICKUP_INTERVAL);
            pickup.removeAbandonedTemporaryFiles(ABANDONED_DROP);
            RelayServer server = RelayServer.start(config, listenerStore, tls, authenticator, clock);
            state.listenersBound = true;
            Optional<OutboundDelivery> delivery = Optional.empty();
            if (config.delivery().enabled()) {
                try {
                    delivery = Optional.of(OutboundDelivery.create(config, store, clock, server.addresses(), metrics.registry(),
                            history));
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
                delivery.get().start();
                wakeTarget.set(delivery.get());
            } else {
                LOG.warn("delivery.enabled = false: mail is accepted and queued, but not sent");
            }
            // Mail the sendmail command dropped, also while the server was down (at-least-once).
            pickup.start();
            // Last, so that "ready" is never seen before the relay can take mail.
            Optional<AdminServer> admin = Optional.empty();
            if (config.admin().enabled()) {
                try {
                    // The queue API acts on the waking store, so a release or flush is delivered at once.
                    List<AdminRoute> routes = new ArrayList<>(QueueResource.routes(listenerStore, clock));
                    routes.addAll(StatusResource.routes(listenerStore, history, clock, config.hostname()));
                    admin = Optional.of(AdminServer.start(config.admin(), metrics, List.of(
                            new ReadinessCheck("queue-store", () -> state.storeOpen),
                            new ReadinessCheck("smtp-listeners", () -> state.listenersBound)),
                            routes, clock));
                } catch (IOException | RuntimeException e) {
                    pickup.close();
                    server.close();
                    delivery.ifPresent(OutboundDelivery::close);
                    throw e;
                }
            }
            return new Relay(metrics, store, server, delivery, pickup, state, admin);
        } catch (Exception e) {
            store.close();
            metrics.close();
            throw e;
        }
    }

    public static MessageStore openStore(RelayConfig config, Clock clock) throws StoreException {
        return H2MessageStore.open(H2StoreSettings.defaults(config.dataDirectory())
                .withClock(clock)
                .withMinFreeBytes(config.queue().minFreeSpace()));
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

    /** The relay's meter registry, served at the admin listener's /metrics. */
    public RelayMetrics metrics() {
        return metrics;
    }

    /** Where the admin listener is bound, when admin.enabled. */
    public Optional<InetSocketAddress> adminAddress() {
        return admin.map(AdminServer::boundAddress);
    }

    @Override
    public void close() {
        // The admin listener goes first: a monitor must not see "ready" from a relay shutting down.
        admin.ifPresent(AdminServer::close);
        state.listenersBound = false;
        state.storeOpen = false;
        try {
            pickup.close();
            server.close();
            delivery.ifPresent(OutboundDelivery::close);
        } finally {
            store.close();
            metrics.close();
        }
    }
}
