package dev.mta.testsupport.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/**
 * An authoritative DNS server on 127.0.0.1 for tests: UDP and TCP on the same ephemeral port,
 * answering from zones built in code (AA set; NXDOMAIN, NODATA with the SOA, CNAME chains within
 * a zone; REFUSED for names outside every zone), with faults a test switches on per name. Every
 * query received is recorded, so a test can assert what a client asked and how.
 *
 * <pre>{@code
 * try (TestDnsServer dns = TestDnsServer.start()) {
 *     dns.zone("example.org")
 *             .mx("example.org", 10, "mx1.example.org")
 *             .a("mx1.example.org", "127.0.0.2");
 *     dns.servfail("broken.example.org");
 *     ... resolve through dns.address() ...
 *     assertThat(dns.queryCount("mx1.example.org", Type.AAAA)).isZero();
 * }
 * }</pre>
 *
 * <p>{@link #startSigned()} starts a server for DNSSEC tests instead: a signed root zone, signed
 * zones below it (each with a DS in its parent), unsigned ones where a test asks, and the root's
 * DS as the trust anchor a validator is given. The server then also answers for all its zones as a
 * recursive resolver in front of them would: a validator asks it for the DS and DNSKEY sets along
 * the chain, CNAMEs are followed from zone to zone within one answer, and queries with the DO bit
 * get RRSIGs and NSEC proofs.
 *
 * <pre>{@code
 * try (TestDnsServer dns = TestDnsServer.startSigned()) {
 *     dns.zone("example.org").mx("example.org", 10, "mx1.example.org");   // secure
 *     dns.unsignedZone("example.net").mx("example.net", 10, "mx.example.net"); // insecure
 *     dns.zone("bogus.example").mx("bogus.example", 10, "mx.bogus.example").brokenSignature();
 *     Files.writeString(anchors, dns.trustAnchor());
 * }
 * }</pre>
 *
 * <p>Each UDP query and each TCP connection is served on its own virtual thread, so a delayed or
 * dropped query holds up no other.
 */
public final class TestDnsServer implements AutoCloseable {
    private static final int BIND_ATTEMPTS = 20;
    private static final int MAX_UDP_QUERY = 65_535;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final InetSocketAddress address;
    private final Zones zones;
    private final boolean signed;
    private final Behaviours behaviours = new Behaviours();
    private final Responder responder;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread udpReceiver;
    private final Thread tcpAcceptor;

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp, boolean signed) {
        this.udp = udp;
        this.tcp = tcp;
        this.signed = signed;
        this.zones = new Zones(signed, Clock.systemUTC());
        this.responder = new Responder(zones, behaviours);
        if (signed) {
            zones.zone(Name.root, true);
        }
        this.address = new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
        this.udpReceiver = Thread.ofPlatform().daemon().name("test-dns-udp-" + port()).start(this::receiveLoop);
        this.tcpAcceptor = Thread.ofPlatform().daemon().name("test-dns-tcp-" + port()).start(this::acceptLoop);
    }

    /** Starts a server with no zones: it refuses every query until a test adds one. */
    public static TestDnsServer start() throws IOException {
        return start(false);
    }

    /**
     * Starts a server with a signed root zone ".", whose DS {@link #trustAnchor()} gives; every
     * zone then added with {@link #zone(String)} is signed and delegated to from its parent.
     */
    public static TestDnsServer startSigned() throws IOException {
        return start(true);
    }

    private static TestDnsServer start(boolean signed) throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        BindException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            try {
                ServerSocket tcp = new ServerSocket();
                try {
                    tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()), 50);
                } catch (IOException e) {
                    tcp.close();
                    throw e;
                }
                return new TestDnsServer(udp, tcp, signed);
            } catch (BindException e) {
                // The ephemeral UDP port is taken for TCP by someone else: try another one.
                udp.close();
                last = e;
            } catch (IOException | RuntimeException e) {
                udp.close();
                throw e;
            }
        }
        throw new IOException("no port free for both UDP and TCP after " + BIND_ATTEMPTS + " attempts", last);
    }

    /** The port, the same for UDP and TCP. */
    public int port() {
        return address.getPort();
    }

    /** 127.0.0.1 and {@link #port()}, to configure a resolver with. */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * The zone with this apex, created empty (SOA and NS only) on first use. On a signed server
     * the zone is signed with a key of its own, and its parent (the closest enclosing zone) gets
     * NS and DS records for it: a secure delegation.
     *
     * @throws IllegalArgumentException when the zone exists unsigned on a signed server
     */
    public TestZone zone(String origin) {
        return zones.zone(DnsNames.absolute(origin), signed);
    }

    /**
     * On a signed server, an unsigned zone below a signed parent: the parent delegates to it with
     * NS records only and proves with a signed NSEC that no DS exists, an insecure delegation
     * (RFC 4035 5.2). On a plain server the same as {@link #zone(String)}.
     *
     * @throws IllegalArgumentException when the zone exists signed
     */
    public TestZone unsignedZone(String origin) {
        Name name = DnsNames.absolute(origin);
        if (name.equals(Name.root) && signed) {
            throw new IllegalArgumentException("the root of a signed server is signed");
        }
        return zones.zone(name, false);
    }

    /**
     * The root zone's DS record in zone-file presentation format, one line, which is what a
     * trust anchors file holds: give it to the validator under test.
     *
     * @throws IllegalStateException on a server not started with {@link #startSigned()}
     */
    public String trustAnchor() {
        TestZone root = zones.existing(Name.root).filter(TestZone::isSigned)
                .orElseThrow(() -> new IllegalStateException("no signed root: start the server with startSigned()"));
        return root.delegationSigner().orElseThrow() + "\n";
    }

    /**
     * Whether answers from signed zones carry the AD bit, as from a validating recursive resolver
     * that checked them (RFC 4035 3.2.3; RFC 6840 5.8), for clients that trust a resolver's AD
     * bit. Off at start: an authoritative server does not set AD.
     */
    public void claimAuthenticData(boolean claim) {
        responder.claimAuthenticData(claim);
    }

    /** Answers every query for {@code name} with SERVFAIL (RCODE 2). */
    public void servfail(String name) {
        fault(name, Behaviours.EVERY_TYPE, Fault.SERVFAIL);
    }

    /** Answers queries for {@code name} and {@code type} (as in {@code org.xbill.DNS.Type}) with SERVFAIL. */
    public void servfail(String name, int type) {
        fault(name, type, Fault.SERVFAIL);
    }

    /** Answers every query for {@code name} with REFUSED (RCODE 5). */
    public void refuse(String name) {
        fault(name, Behaviours.EVERY_TYPE, Fault.REFUSE);
    }

    public void refuse(String name, int type) {
        fault(name, type, Fault.REFUSE);
    }

    /** Never answers queries for {@code name}, over either transport: the client times out. */
    public void drop(String name) {
        fault(name, Behaviours.EVERY_TYPE, Fault.DROP);
    }

    public void drop(String name, int type) {
        fault(name, type, Fault.DROP);
    }

    /**
     * Answers queries for {@code name} over UDP with the TC bit and no records, and over TCP in
     * full, so only a client that falls back to TCP gets the records.
     */
    public void truncateUdp(String name) {
        fault(name, Behaviours.EVERY_TYPE, Fault.TRUNCATE_UDP);
    }

    public void truncateUdp(String name, int type) {
        fault(name, type, Fault.TRUNCATE_UDP);
    }

    /** Answers queries for {@code name} with the right id and a body that cannot be parsed. */
    public void malformed(String name) {
        fault(name, Behaviours.EVERY_TYPE, Fault.MALFORMED);
    }

    public void malformed(String name, int type) {
        fault(name, type, Fault.MALFORMED);
    }

    /** Answers queries for {@code name} with random octets that are no DNS message at all. */
    public void garbage(String name) {
        fault(name, Behaviours.EVERY_TYPE, Fault.GARBAGE);
    }

    public void garbage(String name, int type) {
        fault(name, type, Fault.GARBAGE);
    }

    /**
     * Answers queries for {@code name} with NXDOMAIN under another query's id: a stray or
     * spoofed answer that the client must ignore (RFC 5452 4.3) and so, over UDP, times out.
     */
    public void wrongId(String name) {
        fault(name, Behaviours.EVERY_TYPE, Fault.WRONG_ID);
    }

    public void wrongId(String name, int type) {
        fault(name, type, Fault.WRONG_ID);
    }

    /** Answers queries for {@code name} with the first half of the zone's answer and no TC bit. */
    public void cutShort(String name) {
        fault(name, Behaviours.EVERY_TYPE, Fault.CUT_SHORT);
    }

    public void cutShort(String name, int type) {
        fault(name, type, Fault.CUT_SHORT);
    }

    /**
     * Stops listening on TCP and drops the TCP connections open now, while UDP goes on: a client
     * that falls back to TCP (after {@link #truncateUdp}) has its connection refused. For good:
     * {@link #clearFaults()} does not bring TCP back.
     */
    public void refuseTcp() {
        try {
            tcp.close();
            for (Socket connection : connections) {
                connection.close();
            }
            tcpAcceptor.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits this long before replying (or not replying) to queries for {@code name}. */
    public void delay(String name, Duration delay) {
        behaviours.delay(DnsNames.absolute(name), Behaviours.EVERY_TYPE, delay);
    }

    public void delay(String name, int type, Duration delay) {
        behaviours.delay(DnsNames.absolute(name), type, delay);
    }

    /** Back to answering every query from the zones. */
    public void clearFaults() {
        behaviours.clear();
    }

    /** Every query received so far, oldest first. */
    public List<ReceivedQuery> queries() {
        return responder.received();
    }

    /** How many queries for {@code name} (case and trailing dot ignored) and {@code type} arrived. */
    public int queryCount(String name, int type) {
        String text = DnsNames.text(DnsNames.absolute(name));
        return (int) queries().stream().filter(q -> q.name().equals(text) && q.type() == type).count();
    }

    /** As {@link #queryCount(String, int)}, counting only those that came over {@code transport}. */
    public int queryCount(String name, int type, Transport transport) {
        String text = DnsNames.text(DnsNames.absolute(name));
        return (int) queries().stream()
                .filter(q -> q.name().equals(text) && q.type() == type && q.transport() == transport)
                .count();
    }

    /** Closes both sockets and every open TCP connection; queries in progress get no reply. */
    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
            for (Socket connection : connections) {
                connection.close();
            }
            udpReceiver.join(Duration.ofSeconds(5));
            tcpAcceptor.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TestDnsServer[" + address() + "]";
    }

    private void fault(String name, int type, Fault fault) {
        behaviours.fault(DnsNames.absolute(name), type, fault);
    }

    private void receiveLoop() {
        byte[] buffer = new byte[MAX_UDP_QUERY];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (udp.isClosed()) {
                    return;
                }
                continue; // one bad datagram affects no other client
            }
            byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
            SocketAddress client = packet.getSocketAddress();
            Thread.ofVirtual().name("test-dns-udp-query").start(() -> answerUdp(query, client));
        }
    }

    private void answerUdp(byte[] query, SocketAddress client) {
        try {
            Optional<byte[]> reply = responder.respond(query, Transport.UDP);
            if (reply.isPresent()) {
                udp.send(new DatagramPacket(reply.get(), reply.get().length, client));
            }
        } catch (IOException e) {
            // Closed while answering, or the client went away: nothing to tell anyone.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!tcp.isClosed()) {
            try {
                Socket socket = tcp.accept();
                connections.add(socket);
                Thread.ofVirtual().name("test-dns-tcp-connection").start(() -> serveTcp(socket));
            } catch (SocketException e) {
                return; // closed by close()
            } catch (IOException e) {
                // A failed accept affects one client only.
            }
        }
    }

    /** RFC 1035 4.2.2: each message is preceded by its length in two octets; queries in turn. */
    private void serveTcp(Socket socket) {
        try (socket;
             DataInputStream in = new DataInputStream(socket.getInputStream());
             DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            while (true) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                Optional<byte[]> reply = responder.respond(query, Transport.TCP);
                if (reply.isPresent()) {
                    out.writeShort(reply.get().length);
                    out.write(reply.get());
                    out.flush();
                }
            }
        } catch (EOFException e) {
            // The client closed the connection.
        } catch (IOException e) {
            // Reset by the client or closed by close().
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.remove(socket);
        }
    }
}
