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
import dev.mta.server.smtp.Authenticator;
import dev.mta.server.smtp.ServerTls;
import dev.mta.server.tls.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The whole relay process put together from its configuration: queue store, TLS material, users,
 * listeners. {@code mta serve} runs one; tests start one in-process on loopback.
 */
public final class Relay implements AutoCloseable {
    private final MessageStore store;
    private final RelayServer server;

    private Relay(MessageStore store, RelayServer server) {
        this.store = store;
        this.server = server;
    }

    public static Relay start(RelayConfig config, Clock clock) throws Exception {
        Files.createDirectories(config.dataDirectory());
        MessageStore store = openStore(config, clock);
        try {
            Optional<ServerTls> tls = Optional.of(loadTls(config, clock));
            Optional<Authenticator> authenticator = loadUsers(config);
            return new Relay(store, RelayServer.start(config, store, tls, authenticator, clock));
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

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            store.close();
        }
    }
}
