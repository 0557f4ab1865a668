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

    private final MessageStore store;
    private final RelayServer server;
    private final Optional<OutboundDelivery> delivery;
    private final PickupService pickup;

    private Relay(MessageStore store, RelayServer server, Optional<OutboundDelivery> delivery, PickupService pickup) {
        this.store = store;
        this.server = server;
        this.delivery = delivery;
        this.pickup = pickup;
    }

    public static Relay start(RelayConfig config, Clock clock) throws Exception {
        Files.createDirectories(config.dataDirectory());
        MessageStore store = openStore(config, clock);
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
            Optional<OutboundDelivery> delivery = Optional.empty();
            if (config.delivery().enabled()) {
                try {
                    delivery = Optional.of(OutboundDelivery.create(config, store, clock, server.addresses()));
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
            return new Relay(store, server, delivery, pickup);
        } catch (Exception e) {
            store.close();
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

    @Override
    public void close() {
        try {
            pickup.close();
            server.close();
            delivery.ifPresent(OutboundDelivery::close);
        } finally {
            store.close();
        }
    }
}
