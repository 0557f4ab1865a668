package dev.mta.server;

import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageStore;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.security.password.Argon2Cost;
import dev.mta.security.password.PasswordHasher;
import dev.mta.server.config.ConfigLoader;
import dev.mta.server.config.RelayConfig;
import dev.mta.testsupport.smtp.SmtpTestClient;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.PemFiles;
import dev.mta.testsupport.tls.TestCertificates;
import dev.mta.testsupport.tls.TestTlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A real relay started in-process on loopback for a test: shipped configuration, listeners on
 * free ports, data in a temp directory, a CA and server certificate made for the test, and
 * optional AUTH users.
 */
public final class TestRelay implements AutoCloseable {
    public static final String HOSTNAME = "relay.test";
    private static final Path SHIPPED_CONFIG = Path.of("../conf/mta.conf");

    private final Relay relay;
    private final RelayConfig config;
    private final CertifiedKey ca;
    private final Builder builder;

    private TestRelay(Relay relay, RelayConfig config, CertifiedKey ca, Builder builder) {
        this.relay = relay;
        this.config = config;
        this.ca = ca;
        this.builder = builder;
    }

    public static Builder in(Path directory) {
        return new Builder(directory);
    }

    public static final class Builder {
        private final Path directory;
        private final Map<String, String> options = new LinkedHashMap<>();
        private final Map<String, String> users = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();

        private Builder(Path directory) {
            this.directory = directory;
        }

        public Builder option(String key, String value) {
            options.put(key, value);
            return this;
        }

        /**
         * Delivery on, to a lab: the test DNS server (unsigned, no DNSSEC), every next hop on
         * {@code port}, IPv4 only, no MTA-STS.
         */
        public Builder deliveringThrough(int dnsPort, int port) {
            return option("delivery.enabled", "true")
                    .option("delivery.dnssec", "off")
                    .option("delivery.mta-sts", "false")
                    .option("delivery.dns-servers", "[\"127.0.0.1:" + dnsPort + "\"]")
                    .option("delivery.port", String.valueOf(port))
                    .option("delivery.address-families", "[ipv4]");
        }

        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The -o overrides this builder will use, for tests that start the relay another way. */
        public List<String> overrides() {
            List<String> all = new ArrayList<>();
            all.add("hostname=" + HOSTNAME);
            all.add("data-directory=\"" + directory.resolve("data") + "\"");
            all.add("smtp.listeners.relay.port=0");
            all.add("smtp.listeners.submission.port=0");
            all.add("smtp.listeners.submissions.port=0");
            all.add("admin.port=0");
            // Listener tests keep their mail queued; delivery tests turn this on with a lab DNS.
            all.add("delivery.enabled=false");
            all.add("delivery.trust-anchors=\"" + SHIPPED_CONFIG.toAbsolutePath().getParent().resolve("trust-anchors.txt") + "\"");
            options.forEach((k, v) -> all.add(k + "=" + v));
            return all;
        }

        public TestRelay start() throws Exception {
            TestCertificates certificates = TestCertificates.ec();
            CertifiedKey ca = certificates.ca("Test Relay CA");
            CertifiedKey server = certificates.leaf(ca, HOSTNAME);
            Files.createDirectories(directory.resolve("tls"));
            PemFiles pem = server.writePem(directory.resolve("tls"));
            option("smtp.tls.certificate", "\"" + pem.certificateChain() + "\"");
            option("smtp.tls.private-key", "\"" + pem.privateKey() + "\"");
            if (!users.isEmpty()) {
                Path usersFile = directory.resolve("users");
                PasswordHasher hasher = new PasswordHasher(new Argon2Cost(1024, 1, 1));
                StringBuilder lines = new StringBuilder();
                users.forEach((name, password) -> lines.append(name).append(':').append(hasher.hash(password.toCharArray())).append('\n'));
                Files.writeString(usersFile, lines);
                option("smtp.users-file", "\"" + usersFile + "\"");
            }
            // Read again at each reload, with the options set by then.
            ConfigSource source = () -> ConfigLoader.load(SHIPPED_CONFIG, overrides());
            Relay relay = Relay.start(source, clock);
            return new TestRelay(relay, ConfigLoader.load(SHIPPED_CONFIG, overrides()).config(), ca, this);
        }
    }

    /** Sets one more -o option and reloads, as SIGHUP would after an edit of the file. */
    public ReloadOutcome reloadWith(String key, String value) throws ReloadRefused {
        String before = builder.options.put(key, value);
        try {
            return relay.reload();
        } catch (ReloadRefused e) {
            // As an operator would put the file back: the next reload starts from the good one.
            if (before == null) {
                builder.options.remove(key);
            } else {
                builder.options.put(key, before);
            }
            throw e;
        }
    }

    /** Sets one more -o option for the next reload, as an edit of the file would, without reloading. */
    public void option(String key, String value) {
        builder.option(key, value);
    }

    /** The -o options the relay reads its configuration with now. */
    public List<String> overrides() {
        return builder.overrides();
    }

    public Relay relay() {
        return relay;
    }

    public int port(String listener) {
        return relay.address(listener).getPort();
    }

    public SmtpTestClient connect(String listener) throws IOException {
        return SmtpTestClient.connect("127.0.0.1", port(listener));
    }

    public SmtpTestClient connectImplicitTls(String listener) throws IOException {
        return SmtpTestClient.connectImplicitTls("127.0.0.1", port(listener), clientTls(), HOSTNAME);
    }

    /** A client context that trusts the test CA, so the handshake verifies the relay's certificate. */
    public SSLContext clientTls() {
        return TestTlsContexts.clientTrusting(ca.certificate());
    }

    /** Where the admin HTTP listener is bound (admin.enabled is on unless an option turns it off). */
    public java.net.InetSocketAddress adminAddress() {
        return relay.adminAddress().orElseThrow(() -> new IllegalStateException("admin.enabled is false"));
    }

    /** The relay's meter registry. */
    public dev.mta.server.admin.RelayMetrics metrics() {
        return relay.metrics();
    }

    public MessageStore store() {
        return relay.store();
    }

    /** The delivery side, when delivery.enabled is on. */
    public dev.mta.server.delivery.OutboundDelivery delivery() {
        return relay.delivery().orElseThrow(() -> new IllegalStateException("delivery.enabled is false"));
    }

    public RelayConfig config() {
        return config;
    }

    public List<MessageSummary> queued() throws Exception {
        return relay.store().list();
    }

    public MessageDetail detail(QueueId id) throws Exception {
        return relay.store().find(id).orElseThrow();
    }

    /** The stored body of a queued message, as text. */
    public String body(QueueId id) {
        try (InputStream in = relay.store().openBody(id)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    /**
     * Submits one message from alice@sender.example over the relay listener, as a client would,
     * and returns its queue id; the relay must answer 250.
     */
    public QueueId submit(String recipient, String data) throws IOException {
        try (SmtpTestClient client = connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            client.command("MAIL FROM:<alice@sender.example>");
            client.command("RCPT TO:<" + recipient + ">");
            dev.mta.testsupport.smtp.SmtpReply reply = client.data(data);
            org.assertj.core.api.Assertions.assertThat(reply.code()).isEqualTo(250);
            return queueIdFrom(reply.text());
        }
    }

    /** The queue id from a "250 2.0.0 Ok: queued as ID" reply. */
    public static QueueId queueIdFrom(String replyText) {
        return QueueId.parse(replyText.substring(replyText.lastIndexOf(' ') + 1));
    }

    @Override
    public void close() {
        relay.close();
    }
}
