package dev.mta.testsupport.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A recording SMTP receiver on a loopback port, for tests of delivery: it answers like a
 * permissive MX (220, 250, 354), keeps every accepted message, and can be told to refuse
 * chosen recipients or the data. One virtual thread per connection.
 *
 * <pre>{@code
 * try (SmtpSinkServer sink = SmtpSinkServer.start()) {
 *     ... deliver to sink.host():sink.port() ...
 *     assertThat(sink.awaitMessages(1, Duration.ofSeconds(5))).singleElement() ...
 * }
 * }</pre>
 */
public final class SmtpSinkServer implements AutoCloseable {
    private final ServerSocket serverSocket;
    private final String hostName;
    private final Optional<SSLContext> tls;
    private final long maxMessageSize;
    private final Thread acceptor;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final Map<String, String> recipientReplies = new ConcurrentHashMap<>();
    private volatile String dataReply;
    private final List<ReceivedMessage> messages = new ArrayList<>();

    private SmtpSinkServer(Builder builder) throws IOException {
        this.hostName = builder.hostName;
        this.tls = Optional.ofNullable(builder.tls);
        this.maxMessageSize = builder.maxMessageSize;
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("smtp-sink-accept-" + port()).start(this::acceptLoop);
    }

    /** A clear-text sink named {@code sink.test} that accepts everything. */
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

    /** The name the sink uses in its greeting and EHLO reply. */
    public String hostName() {
        return hostName;
    }

    /**
     * Answers RCPT TO for {@code address} (compared ignoring case) with this reply instead of
     * 250, until {@link #resetReplies()}. A 2yz reply still accepts the recipient.
     */
    public void replyToRecipient(String address, int code, String text) {
        recipientReplies.put(address.toLowerCase(Locale.ROOT), code + " " + text);
    }

    /**
     * Answers the end of DATA with this reply instead of 250, until {@link #resetReplies()}. The
     * message is recorded only when the reply is 2yz.
     */
    public void replyToData(int code, String text) {
        dataReply = code + " " + text;
    }

    /** Back to accepting every recipient and message. */
    public void resetReplies() {
        recipientReplies.clear();
        dataReply = null;
    }

    /** The messages accepted so far, oldest first. */
    public List<ReceivedMessage> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /**
     * Waits until at least {@code count} messages have been accepted and returns them all.
     *
     * @throws AssertionError when fewer arrive within {@code timeout}
     */
    public List<ReceivedMessage> awaitMessages(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            while (messages.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " message(s) within " + timeout
                            + " but the sink received " + messages.size());
                }
                messages.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(messages);
        }
    }

    /** How many connections the sink has accepted, to check connection reuse. */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** Stops listening and drops every open connection. */
    @Override
    public void close() {
        try {
            serverSocket.close();
            for (Socket connection : connections) {
                connection.close();
            }
            acceptor.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Optional<SSLContext> tls() {
        return tls;
    }

    long maxMessageSize() {
        return maxMessageSize;
    }

    Optional<String> replyForRecipient(String address) {
        return Optional.ofNullable(recipientReplies.get(address.toLowerCase(Locale.ROOT)));
    }

    Optional<String> replyForData() {
        return Optional.ofNullable(dataReply);
    }

    void record(ReceivedMessage message) {
        synchronized (messages) {
            messages.add(message);
            messages.notifyAll();
        }
    }

    void replaced(Socket plain, Socket tlsSocket) {
        connections.remove(plain);
        connections.add(tlsSocket);
    }

    void closed(Socket socket) {
        connections.remove(socket);
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                connections.add(socket);
                connectionCount.incrementAndGet();
                Thread.ofVirtual().name("smtp-sink-session").start(new SinkSession(this, socket));
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
        private long maxMessageSize = 10L * 1024 * 1024;

        private Builder() {
        }

        public Builder hostName(String hostName) {
            this.hostName = Objects.requireNonNull(hostName, "hostName");
            return this;
        }

        /** Offers STARTTLS with this server context. */
        public Builder startTls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /** The SIZE limit advertised and enforced (552 beyond it); 10 MiB unless set. */
        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        public SmtpSinkServer start() throws IOException {
            return new SmtpSinkServer(this);
        }
    }
}
