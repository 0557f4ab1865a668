package dev.mta.server.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving MX hosts of the load tests: one listening socket, a virtual thread per
 * connection, the least SMTP a relay needs (EHLO with PIPELINING, MAIL, RCPT, DATA, RSET, NOOP,
 * QUIT), and no memory of message bodies, so it can take hundreds of thousands of messages.
 *
 * <p>Bound to the wildcard address it plays one MX host per loopback address: a destination is
 * told apart by the local address its connection came in on (Linux routes all of 127.0.0.0/8 to
 * the loopback interface), and the sink counts open connections and transactions per such
 * address, with their high-water marks, to check the relay's per-destination limit.
 *
 * <p>Each accepted message is recorded by its {@code X-Load-Id} header, in the order its final
 * dot arrived. The 250 to the end of data can be held back for a while ({@link #holdEndOfData}),
 * which keeps the relay's connections open as a slow receiver does.
 */
final class LoadSink implements AutoCloseable {
    /** One accepted message: its load id, the destination address, and its place in arrival order. */
    record Delivery(String loadId, String destination, long sequence) {
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> openByDestination = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> transactionsByDestination = new ConcurrentHashMap<>();
    private final AtomicInteger maxOpenPerDestination = new AtomicInteger();
    private final AtomicInteger maxTransactionsPerDestination = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> protocolErrors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile Duration endOfDataHold = Duration.ZERO;
    private volatile String refusal;

    private LoadSink(InetAddress address) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        // A deep accept queue: the relay may open a couple of hundred connections at once.
        server.bind(new InetSocketAddress(address, 0), 4096);
        acceptor = Thread.ofPlatform().daemon().name("load-sink-accept").start(this::acceptLoop);
    }

    /** A sink on 127.0.0.1. */
    static LoadSink onLoopback() throws IOException {
        return new LoadSink(InetAddress.getLoopbackAddress());
    }

    /** A sink on the wildcard address: every 127.x.y.z reaches it, each a destination of its own. */
    static LoadSink onEveryAddress() throws IOException {
        return new LoadSink(InetAddress.getByName("0.0.0.0"));
    }

    int port() {
        return server.getLocalPort();
    }

    /** Waits this long before answering the end of data (the message is recorded before the wait). */
    void holdEndOfData(Duration hold) {
        endOfDataHold = hold;
    }

    /**
     * Greets every new connection with this 4yz reply and hangs up (RFC 5321 3.8), as a receiver
     * that is down for maintenance does; such connections are counted only in {@link #refusals()}.
     */
    void refuse(String reply) {
        refusal = reply;
    }

    /** Serves again: new connections are greeted with 220. */
    void serve() {
        refusal = null;
    }

    /** Connections greeted with the refusal. */
    int refusals() {
        return refused.get();
    }

    /** Connections open now: accepted and not yet ended by QUIT or a close. */
    int openConnections() {
        return open.get();
    }

    int maxOpenConnections() {
        return maxOpen.get();
    }

    /** The most connections one destination address ever had open at once. */
    int maxOpenPerDestination() {
        return maxOpenPerDestination.get();
    }

    /** The most transactions (MAIL to the reply to the end of data) one destination ever had at once. */
    int maxTransactionsPerDestination() {
        return maxTransactionsPerDestination.get();
    }

    /** Connections accepted since the start. */
    int acceptedConnections() {
        return accepted.get();
    }

    List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }

    int deliveryCount() {
        return (int) sequence.get();
    }

    /** Anything the relay sent that the sink did not expect; empty when all went well. */
    List<String> protocolErrors() {
        return new ArrayList<>(protocolErrors);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                accepted.incrementAndGet();
                Thread.ofVirtual().name("load-sink-session").start(() -> converse(socket));
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                protocolErrors.add("accept failed: " + e);
            }
        }
    }

    private void converse(Socket socket) {
        String refusing = refusal;
        if (refusing != null) {
            try (socket) {
                reply(socket.getOutputStream(), refusing);
            } catch (IOException e) {
                // The relay hung up first: it was refused all the same.
            } finally {
                sockets.remove(socket);
                refused.incrementAndGet();
            }
            return;
        }
        String destination = socket.getLocalAddress().getHostAddress();
        AtomicInteger openHere = openByDestination.computeIfAbsent(destination, d -> new AtomicInteger());
        AtomicInteger transactionsHere = transactionsByDestination.computeIfAbsent(destination, d -> new AtomicInteger());
        raise(maxOpen, open.incrementAndGet());
        raise(maxOpenPerDestination, openHere.incrementAndGet());
        boolean counted = true;
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            reply(out, "220 sink.load ESMTP");
            boolean inTransaction = false;
            String line;
            while ((line = in.readLine()) != null) {
                String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(java.util.Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-sink.load\r\n250-PIPELINING\r\n250 8BITMIME");
                    case "HELO", "NOOP" -> reply(out, "250 ok");
                    case "MAIL" -> {
                        if (!inTransaction) {
                            inTransaction = true;
                            raise(maxTransactionsPerDestination, transactionsHere.incrementAndGet());
                        }
                        reply(out, "250 2.1.0 ok");
                    }
                    case "RCPT" -> reply(out, "250 2.1.5 ok");
                    case "RSET" -> {
                        if (inTransaction) {
                            inTransaction = false;
                            transactionsHere.decrementAndGet();
                        }
                        reply(out, "250 2.0.0 ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        String loadId = readMessage(in);
                        deliveries.add(new Delivery(loadId, destination, sequence.incrementAndGet()));
                        Duration hold = endOfDataHold;
                        if (!hold.isZero()) {
                            Thread.sleep(hold);
                        }
                        if (inTransaction) {
                            inTransaction = false;
                            transactionsHere.decrementAndGet();
                        }
                        reply(out, "250 2.0.0 ok " + loadId);
                    }
                    case "QUIT" -> {
                        // The connection is done from here: the relay may open the next one at once.
                        counted = false;
                        openHere.decrementAndGet();
                        open.decrementAndGet();
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> {
                        protocolErrors.add("unexpected command from the relay: " + line);
                        reply(out, "502 5.5.1 not here");
                    }
                }
            }
            if (inTransaction) {
                transactionsHere.decrementAndGet();
            }
        } catch (IOException e) {
            // The relay hung up (or close() did): nothing to answer.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sockets.remove(socket);
            if (counted) {
                openHere.decrementAndGet();
                open.decrementAndGet();
            }
        }
    }

    /** Reads the data up to the lone dot and returns the X-Load-Id header's value ("?" without one). */
    private String readMessage(BufferedReader in) throws IOException {
        String loadId = "?";
        boolean inHeader = true;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals(".")) {
                return loadId;
            }
            if (inHeader) {
                if (line.isEmpty()) {
                    inHeader = false;
                } else if (line.regionMatches(true, 0, "X-Load-Id:", 0, 10)) {
                    loadId = line.substring(10).trim();
                }
            }
        }
        throw new IOException("connection closed in the middle of the data");
    }

    private static void reply(OutputStream out, String lines) throws IOException {
        out.write((lines + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void raise(AtomicInteger max, int value) {
        max.accumulateAndGet(value, Math::max);
    }
}
