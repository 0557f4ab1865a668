package dev.mta.testsupport.dns;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Turns one query in wire format into the server's reply, or into silence: records the query,
 * applies the test's faults and delays, else answers from the zones. Knows nothing of sockets
 * beyond the transport, which decides the size limit and whether truncation applies.
 */
final class Responder {
    /** The EDNS0 UDP payload size the server advertises and honours at most (DNS Flag Day 2020). */
    static final int EDNS_PAYLOAD_SIZE = 1232;
    /** RFC 1035 4.2.1: without EDNS0 a UDP message carries at most 512 octets. */
    private static final int PLAIN_UDP_SIZE = 512;

    private final Zones zones;
    private final Behaviours behaviours;
    private final List<ReceivedQuery> received = new ArrayList<>();
    private volatile boolean claimAuthenticData;

    Responder(Zones zones, Behaviours behaviours) {
        this.zones = zones;
        this.behaviours = behaviours;
    }

    /** The reply to send, or empty to send nothing. */
    Optional<byte[]> respond(byte[] wire, Transport transport) throws InterruptedException {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return formatError(wire);
        }
        Header header = query.getHeader();
        if (header.getFlag(Flags.QR)) {
            return Optional.empty(); // a response is never answered (RFC 1035 4.1.1)
        }
        Record question = query.getQuestion();
        if (question == null || header.getCount(Section.QUESTION) != 1) {
            return Optional.of(reply(query, Rcode.FORMERR).toWire());
        }
        Name name = question.getName();
        int type = question.getType();
        record(new ReceivedQuery(DnsNames.text(name), type, transport, dnssecOk(query)));

        Duration delay = behaviours.delayFor(name, type);
        if (delay.isPositive()) {
            Thread.sleep(delay);
        }
        Optional<Fault> fault = behaviours.faultFor(name, type)
                .filter(f -> !(f == Fault.TRUNCATE_UDP && transport == Transport.TCP)); // TCP gets it all
        if (fault.isPresent()) {
            return switch (fault.get()) {
                case DROP -> Optional.empty();
                case SERVFAIL -> Optional.of(reply(query, Rcode.SERVFAIL).toWire());
                case REFUSE -> Optional.of(reply(query, Rcode.REFUSED).toWire());
                case MALFORMED -> Optional.of(malformed(query));
                case TRUNCATE_UDP -> Optional.of(truncated(query));
                case GARBAGE -> Optional.of(garbage(query));
                case WRONG_ID -> Optional.of(wrongId(query));
                case CUT_SHORT -> Optional.of(cutShort(answer(query, name, type).toWire()));
            };
        }
        Message response = answer(query, name, type);
        return Optional.of(transport == Transport.UDP ? response.toWire(udpLimit(query)) : response.toWire());
    }

    /** See {@link TestDnsServer#claimAuthenticData(boolean)}. */
    void claimAuthenticData(boolean claim) {
        claimAuthenticData = claim;
    }

    List<ReceivedQuery> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void record(ReceivedQuery query) {
        synchronized (received) {
            received.add(query);
        }
    }

    private Message answer(Message query, Name name, int type) {
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return reply(query, Rcode.NOTIMP);
        }
        Optional<TestZone> zone = query.getQuestion().getDClass() == DClass.IN
                ? zones.authorityFor(name, type)
                : Optional.empty();
        if (zone.isEmpty()) {
            return reply(query, Rcode.REFUSED); // not authoritative, and not a recursive server
        }
        Message response = reply(query, Rcode.NOERROR);
        response.getHeader().setFlag(Flags.AA);
        boolean allSigned = true;
        Set<Name> chased = new HashSet<>(Set.of(name));
        while (true) {
            allSigned &= zone.get().isSigned();
            Optional<Name> elsewhere = zone.get().answer(name, type, response, dnssecOk(query));
            if (elsewhere.isEmpty() || !zones.delegating() || !chased.add(elsewhere.get())) {
                break;
            }
            // A signed server answers as the recursive resolver in front of its zones would: it
            // follows the CNAME into the other zone (RFC 1034 4.3.2 step 3.a), as validators expect.
            name = elsewhere.get();
            zone = zones.authorityFor(name, type);
            if (zone.isEmpty()) {
                break;
            }
        }
        if (claimAuthenticData && allSigned) {
            // RFC 4035 3.2.3: what a validating resolver says of data it validated.
            response.getHeader().setFlag(Flags.AD);
        }
        return response;
    }

    /**
     * The skeleton of every reply: same id and question, QR, RD copied (RFC 1035 4.1.1), and an
     * OPT record when the query had one, with the DO bit copied (RFC 3225 3).
     */
    private static Message reply(Message query, int rcode) {
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        header.setRcode(rcode);
        if (query.getQuestion() != null) {
            response.addRecord(query.getQuestion(), Section.QUESTION);
        }
        if (query.getOPT() != null) {
            int flags = dnssecOk(query) ? ExtendedFlags.DO : 0;
            response.addRecord(new OPTRecord(EDNS_PAYLOAD_SIZE, 0, 0, flags), Section.ADDITIONAL);
        }
        return response;
    }

    /** RFC 1035 4.1.1: TC set, no records; the client is to repeat the query over TCP. */
    private static byte[] truncated(Message query) {
        Message response = reply(query, Rcode.NOERROR);
        response.getHeader().setFlag(Flags.AA);
        response.getHeader().setFlag(Flags.TC);
        return response.toWire();
    }

    /** An answer that claims one answer record and carries none, so parsing it fails. */
    private static byte[] malformed(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.addRecord(query.getQuestion(), Section.QUESTION);
        byte[] wire = response.toWire();
        wire[7] = 1; // ANCOUNT (RFC 1035 4.1.1)
        return wire;
    }

    /**
     * Octets that are no DNS message, the same for the same query so a test failure repeats:
     * shorter than a header or longer, and never starting with the query's id.
     */
    private static byte[] garbage(Message query) {
        int id = query.getHeader().getID();
        Random random = new Random(id);
        byte[] octets = new byte[1 + random.nextInt(2 * Header.LENGTH + 40)];
        random.nextBytes(octets);
        if (octets.length >= 2 && ((octets[0] & 0xff) << 8 | (octets[1] & 0xff)) == id) {
            octets[0] ^= (byte) 0xff;
        }
        return octets;
    }

    /** RFC 1035 4.1.1: an answer goes with the query of the same ID; this one names another. */
    private static byte[] wrongId(Message query) {
        Message stray = reply(query, Rcode.NXDOMAIN);
        stray.getHeader().setFlag(Flags.AA);
        stray.getHeader().setID((query.getHeader().getID() + 1) & 0xffff);
        return stray.toWire();
    }

    /** The first half of the answer (at least its header and a little more), so its counts promise records that are missing. */
    private static byte[] cutShort(byte[] answer) {
        return Arrays.copyOf(answer, Math.max(Header.LENGTH + 1, answer.length / 2));
    }

    /** FORMERR with the query's id when at least its header arrived; otherwise nothing to answer. */
    private static Optional<byte[]> formatError(byte[] wire) {
        if (wire.length < Header.LENGTH) {
            return Optional.empty();
        }
        try {
            Header header = new Header(Arrays.copyOf(wire, Header.LENGTH));
            Message response = new Message(header.getID());
            response.getHeader().setFlag(Flags.QR);
            response.getHeader().setRcode(Rcode.FORMERR);
            return Optional.of(response.toWire());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean dnssecOk(Message query) {
        OPTRecord opt = query.getOPT();
        return opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    }

    /** RFC 6891 6.2.3 and 6.2.5: the smaller of the client's and our payload size, never below 512. */
    private static int udpLimit(Message query) {
        OPTRecord opt = query.getOPT();
        return opt == null ? PLAIN_UDP_SIZE : Math.max(PLAIN_UDP_SIZE, Math.min(opt.getPayloadSize(), EDNS_PAYLOAD_SIZE));
    }
}
