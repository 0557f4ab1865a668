package dev.mta.testsupport.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A recording, scriptable SMTP receiver on a loopback address, for tests of delivery. Unless told
 * otherwise it answers like a permissive MX (220, 250, 354) and keeps every accepted message.
 * A test can script the reply at any {@link ReplyPoint} (per recipient, per connection), delay
 * replies or trickle them octet by octet, drop the connection in place of a reply or after one,
 * drop or stall the connection during DATA, spoil the TLS handshake, leave extensions
 * out, answer EHLO with 500, and require AUTH. One virtual thread per connection.
 *
 * <pre>{@code
 * try (SmtpSinkServer sink = SmtpSinkServer.start()) {
 *     ... deliver to sink.host():sink.port() ...
 *     assertThat(sink.awaitMessages(1, Duration.ofSeconds(5))).singleElement() ...
 * }
 * }</pre>
 *
 * Several sinks can share a port on different loopback addresses to play several MX hosts:
 * {@code builder().address(127.0.0.2).start()}, then {@code builder().address(127.0.0.3).port(first.port())}.
 */
public final class SmtpSinkServer implements AutoCloseable {
    private final ServerSocket serverSocket;
    private final Settings settings;
    private final SinkScript script = new SinkScript();
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<Integer, SinkConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final List<ReceivedMessage> messages = new ArrayList<>();
    private final Object changes = new Object();
    private final CountDownLatch closed = new CountDownLatch(1);

    /** What the builder fixed for the sink's lifetime. */
    record Settings(String hostName, Optional<SSLContext> tls, Optional<TlsHandshakeFailure> tlsFailure,
                    long maxMessageSize, Set<SinkExtension> extensions, boolean heloOnly,
                    Optional<String> authUser, Optional<String> authPassword, List<String> authMechanisms,
                    boolean keepData) {

        boolean offers(SinkExtension extension) {
            return extensions.contains(extension);
        }

        boolean offersStartTls() {
            return tls.isPresent() || tlsFailure.isPresent();
        }

        boolean requiresAuth() {
            return authUser.isPresent();
        }
    }

    private SmtpSinkServer(Builder builder) throws IOException {
        EnumSet<SinkExtension> extensions = EnumSet.allOf(SinkExtension.class);
        extensions.removeAll(builder.omitted);
        this.settings = new Settings(builder.hostName, Optional.ofNullable(builder.tls),
                Optional.ofNullable(builder.tlsFailure), builder.maxMessageSize, extensions, builder.heloOnly,
                Optional.ofNullable(builder.authUser), Optional.ofNullable(builder.authPassword),
                List.copyOf(builder.authMechanisms), !builder.discardData);
        this.serverSocket = new ServerSocket(builder.port, 50, builder.address);
        this.acceptor = Thread.ofPlatform().daemon().name("smtp-sink-accept-" + port()).start(this::acceptLoop);
    }

    /** A clear-text sink named {@code sink.test} on 127.0.0.1 that accepts everything. */
    public static SmtpSinkServer start() throws IOException {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The loopback address the sink listens on, as a literal. */
    public String host() {
        return serverSocket.getInetAddress().getHostAddress();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** The address and port the sink listens on. */
    public InetSocketAddress address() {
        return new InetSocketAddress(serverSocket.getInetAddress(), port());
    }

    /** The name the sink uses in its greeting and EHLO reply. */
    public String hostName() {
        return settings.hostName();
    }

    /**
     * Answers RCPT TO for {@code address} (compared ignoring case) with this reply instead of
     * 250, until {@link #resetReplies()}. A 2yz reply still accepts the recipient.
     */
    public void replyToRecipient(String address, int code, String text) {
        script.replyToRecipient(address, SinkScript.line(code, text));
    }

    /**
     * Answers the end of DATA with this reply instead of 250, until {@link #resetReplies()}. The
     * message is recorded only when the reply is 2yz.
     */
    public void replyToData(int code, String text) {
        reply(ReplyPoint.END_OF_DATA, code, text);
    }

    /** Answers MAIL FROM with this reply; a 2yz reply still opens the transaction. */
    public void replyToMail(int code, String text) {
        reply(ReplyPoint.MAIL, code, text);
    }

    /** Answers the DATA command with this reply instead of 354; only a 3yz reply reads data. */
    public void replyToDataCommand(int code, String text) {
        reply(ReplyPoint.DATA, code, text);
    }

    /**
     * Answers at {@code point} with this one-line reply until {@link #resetReplies()}. The reply's
     * class decides what the sink does next (2yz accepts, 354 reads data, anything else refuses),
     * and after a 421 the sink closes the connection (RFC 5321 3.8).
     */
    public void reply(ReplyPoint point, int code, String text) {
        script.reply(point, SinkScript.line(code, text));
    }

    /**
     * Sends these exact bytes (the test writes the CRLFs) at {@code point}, for malformed and
     * multi-line replies. The sink reads the first three characters as the reply code.
     */
    public void replyRaw(ReplyPoint point, String raw) {
        script.reply(point, raw);
    }

    /** Like {@link #reply}, but only on the connection with this number (1 is the first). */
    public void replyOnConnection(int connection, ReplyPoint point, int code, String text) {
        script.replyOnConnection(connection, point, SinkScript.line(code, text));
    }

    /** Waits this long before answering at {@code point} (for the client's timeouts). */
    public void delay(ReplyPoint point, Duration delay) {
        script.delay(point, delay);
    }

    /**
     * Sends the reply at {@code point} one octet at a time, waiting {@code perOctet} before each:
     * every read the client makes gets something, yet the whole reply takes its length times
     * {@code perOctet}. Only a deadline for the whole reply (RFC 5321 4.5.3.2), not a timeout
     * between reads, ends the wait in time.
     */
    public void trickle(ReplyPoint point, Duration perOctet) {
        script.trickle(point, perOctet);
    }

    /**
     * Closes the connection where it would reply at {@code point}, without a word, as a server
     * that crashes there. At {@link ReplyPoint#END_OF_DATA} the message has arrived whole but is
     * not kept: the client cannot know whether it was delivered.
     */
    public void dropInsteadOfReplying(ReplyPoint point) {
        script.dropInsteadOfReplying(point);
    }

    /**
     * Replies at {@code point} as usual, then closes the connection: after the 354 to
     * {@link ReplyPoint#DATA}, before any of the content is read.
     */
    public void dropAfterReplying(ReplyPoint point) {
        script.dropAfterReplying(point);
    }

    /** Closes the connection once this many octets of message data have arrived. */
    public void dropDuringData(long afterBytes) {
        script.dropDuringData(afterBytes);
    }

    /**
     * Stops reading once this many octets of message data have arrived, and stays silent until
     * the sink closes: the client's writes stall once the socket buffers fill.
     */
    public void stallDuringData(long afterBytes) {
        script.stallDuringData(afterBytes);
    }

    /**
     * Closes every open connection at once, without a reply, as a server that restarts or
     * forgets idle clients does. The sink goes on accepting new connections.
     */
    public void dropConnections() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing anyway; nothing more to do.
            }
        }
    }

    /**
     * Answers with this reply once this many octets of message data have arrived, before the
     * end of the data, then reads nothing more until the sink closes: a server that gives up on
     * a message mid-stream. (A client sending more than the socket buffers hold cannot finish.)
     */
    public void replyDuringData(long afterBytes, int code, String text) {
        script.replyDuringData(afterBytes, SinkScript.line(code, text));
    }

    /** Back to accepting every recipient and message, promptly, with no misbehaviour. */
    public void resetReplies() {
        script.reset();
    }

    /** The messages accepted so far, oldest first. */
    public List<ReceivedMessage> messages() {
        synchronized (changes) {
            return List.copyOf(messages);
        }
    }

    /**
     * Waits until at least {@code count} messages have been accepted and returns them all.
     *
     * @throws AssertionError when fewer arrive within {@code timeout}
     */
    public List<ReceivedMessage> awaitMessages(int count, Duration timeout) throws InterruptedException {
        awaitChange(() -> messages.size() >= count, timeout,
                () -> "expected " + count + " message(s) within " + timeout + " but the sink received " + messages.size());
        return messages();
    }

    /** How many connections the sink has accepted, to check connection reuse. */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** What the sink saw on each connection so far, the first connection first. */
    public List<ConnectionLog> connections() {
        return connections.values().stream()
                .map(SinkConnection::snapshot)
                .sorted((a, b) -> Integer.compare(a.number(), b.number()))
                .toList();
    }

    /**
     * Waits until the connection with this number (1 is the first) has ended and returns its log.
     *
     * @throws AssertionError when it is still open (or was never opened) after {@code timeout}
     */
    public ConnectionLog awaitConnectionClosed(int number, Duration timeout) throws InterruptedException {
        awaitChange(() -> connections.containsKey(number) && connections.get(number).isClosed(), timeout,
                () -> "connection " + number + " did not end within " + timeout + "; connections: " + connections());
        return connections.get(number).snapshot();
    }

    /** Stops listening and drops every open connection. */
    @Override
    public void close() {
        closed.countDown();
        try {
            serverSocket.close();
            for (Socket socket : sockets) {
                socket.close();
            }
            acceptor.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Settings settings() {
        return settings;
    }

    SinkScript script() {
        return script;
    }

    void record(ReceivedMessage message) {
        synchronized (changes) {
            messages.add(message);
            changes.notifyAll();
        }
    }

    void changed() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    /** Waits up to {@code delay}, less if the sink closes first. */
    void pause(Duration delay) throws InterruptedException {
        closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits until the sink closes. */
    void awaitClose() throws InterruptedException {
        closed.await();
    }

    void replaced(Socket plain, Socket tlsSocket) {
        sockets.remove(plain);
        sockets.add(tlsSocket);
    }

    void closed(Socket socket, SinkConnection connection) {
        sockets.remove(socket);
        connection.closed();
        changed();
    }

    private void awaitChange(java.util.function.BooleanSupplier condition, Duration timeout,
                             java.util.function.Supplier<String> failure) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changes) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(failure.get());
                }
                changes.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                sockets.add(socket);
                SinkConnection connection = new SinkConnection(connectionCount.incrementAndGet());
                connections.put(connection.number(), connection);
                Thread.ofVirtual().name("smtp-sink-session-" + connection.number())
                        .start(new SinkSession(this, socket, connection));
            } catch (SocketException e) {
                return; // closed by close()
            } catch (IOException e) {
                // A failed accept affects one client only; keep serving the others.
            }
        }
    }

    /** Settings fixed for the sink's lifetime. */
    public static final class Builder {
        private String hostName = "sink.test";
        private SSLContext tls;
        private TlsHandshakeFailure tlsFailure;
        private long maxMessageSize = 10L * 1024 * 1024;
        private InetAddress address = InetAddress.getLoopbackAddress();
        private int port;
        private final Set<SinkExtension> omitted = EnumSet.noneOf(SinkExtension.class);
        private boolean heloOnly;
        private String authUser;
        private String authPassword;
        private List<String> authMechanisms = List.of("PLAIN", "LOGIN");
        private boolean discardData;

        private Builder() {
        }

        public Builder hostName(String hostName) {
            this.hostName = Objects.requireNonNull(hostName, "hostName");
            return this;
        }

        /** Offers STARTTLS with this server context. */
        public Builder startTls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            this.tlsFailure = null;
            return this;
        }

        /** Offers STARTTLS, answers it with 220, and then spoils the handshake this way. */
        public Builder startTlsFailing(TlsHandshakeFailure failure) {
            this.tlsFailure = Objects.requireNonNull(failure, "failure");
            this.tls = null;
            return this;
        }

        /** The SIZE limit advertised and enforced (552 beyond it); 10 MiB unless set. */
        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /** The local address to listen on: 127.0.0.1 unless set; any 127.0.0.0/8 address or ::1 works. */
        public Builder address(InetAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The local address to listen on, as a literal such as {@code 127.0.0.2} or {@code ::1}. */
        public Builder address(String literal) {
            try {
                return address(InetAddress.getByName(literal));
            } catch (IOException e) {
                throw new IllegalArgumentException("not an address literal: " + literal, e);
            }
        }

        /** The port to listen on; a free one unless set. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Leaves these extensions out of the EHLO reply; their MAIL and RCPT parameters are then
         * refused with 555 (RFC 5321 4.1.1.11), as a strict server would.
         */
        public Builder without(SinkExtension... extensions) {
            omitted.addAll(List.of(extensions));
            return this;
        }

        /** Answers EHLO with 500, like a server that only knows RFC 821 HELO. */
        public Builder heloOnly() {
            this.heloOnly = true;
            return this;
        }

        /**
         * Advertises AUTH (PLAIN and LOGIN unless {@link #authMechanisms} says otherwise), also in
         * clear text, and refuses MAIL with 530 until the client has authenticated as this user.
         */
        public Builder requireAuth(String user, String password) {
            this.authUser = Objects.requireNonNull(user, "user");
            this.authPassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** The SASL mechanisms advertised with {@link #requireAuth}, in order. */
        public Builder authMechanisms(String... mechanisms) {
            this.authMechanisms = List.of(mechanisms).stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
            return this;
        }

        /**
         * Keeps only the size and SHA-256 of each message's data, not the data, for messages
         * larger than a test wants in memory.
         */
        public Builder discardData() {
            this.discardData = true;
            return this;
        }

        public SmtpSinkServer start() throws IOException {
            return new SmtpSinkServer(this);
        }
    }
}
