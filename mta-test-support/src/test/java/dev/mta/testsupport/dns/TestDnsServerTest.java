package dev.mta.testsupport.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class TestDnsServerTest {
    private TestDnsServer dns;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        dns.zone("example.org")
                .mx("example.org", 20, "mx2.example.org")
                .mx("example.org", 10, "mx1.example.org")
                .mx("example.org", 30, "mx3.example.org")
                .a("mx1.example.org", "127.0.0.2")
                .aaaa("mx1.example.org", "::1");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void answersFromTheZoneWithTheAuthoritativeFlagOverUdp() throws IOException {
        Message response = ask(udp(), "mx1.example.org", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("127.0.0.2"));
        assertThat(dns.queries()).containsExactly(new ReceivedQuery("mx1.example.org", Type.A, Transport.UDP, false));
    }

    @Test
    void answersOverTcpOnTheSamePortAsUdp() throws IOException {
        SimpleResolver tcp = resolver();
        tcp.setTCP(true);

        Message response = ask(tcp, "mx1.example.org", Type.AAAA);

        assertThat(response.getSection(Section.ANSWER)).hasSize(1);
        assertThat(dns.queryCount("mx1.example.org", Type.AAAA, Transport.TCP)).isEqualTo(1);
        assertThat(dns.address().getPort()).isEqualTo(dns.port());
    }

    @Test
    void keepsRecordsInTheOrderTheyWereAdded() throws IOException {
        for (int i = 0; i < 3; i++) {
            List<Integer> preferences = ask(udp(), "example.org", Type.MX).getSection(Section.ANSWER).stream()
                    .map(r -> ((MXRecord) r).getPriority())
                    .toList();
            assertThat(preferences).containsExactly(20, 10, 30);
        }
    }

    @Test
    void nameMissingFromTheZoneIsNxdomainWithTheSoa() throws IOException {
        Message response = ask(udp(), "nothing.example.org", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void nameWithoutTheTypeIsNodataWithTheSoa() throws IOException {
        Message response = ask(udp(), "mx1.example.org", Type.MX);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void emptyNonTerminalIsNodataNotNxdomain() throws IOException {
        dns.zone("example.org").txt("_25._tcp.mx1.example.org", "below");

        Message response = ask(udp(), "_tcp.mx1.example.org", Type.TXT);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void nameOutsideEveryZoneIsRefused() throws IOException {
        Message response = ask(udp(), "example.com", Type.MX);

        assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
    }

    @Test
    void cnameIsFollowedWithinTheZone() throws IOException {
        dns.zone("example.org").cname("alias.example.org", "alias2.example.org").cname("alias2.example.org", "mx1.example.org");

        Message response = ask(udp(), "alias.example.org", Type.A);

        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType)
                .containsExactly(Type.CNAME, Type.CNAME, Type.A);
    }

    @Test
    void cnameToAnotherZoneAnswersOnlyTheCname() throws IOException {
        dns.zone("example.net").a("host.example.net", "127.0.0.3");
        dns.zone("example.org").cname("away.example.org", "host.example.net");

        Message response = ask(udp(), "away.example.org", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);
    }

    @Test
    void cnameToAMissingNameIsNxdomainWithTheCname() throws IOException {
        dns.zone("example.org").cname("dangling.example.org", "gone.example.org");

        Message response = ask(udp(), "dangling.example.org", Type.A);

        // RFC 6604 2.1: the RCODE speaks of the last name in the chain.
        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);
    }

    @Test
    void cnameLoopEndsWithTheChainSoFar() throws IOException {
        dns.zone("example.org").cname("ping.example.org", "pong.example.org").cname("pong.example.org", "ping.example.org");

        Message response = ask(udp(), "ping.example.org", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType)
                .containsExactly(Type.CNAME, Type.CNAME);
    }

    @Test
    void cnameQuestionGetsTheCnameItself() throws IOException {
        dns.zone("example.org").cname("alias.example.org", "mx1.example.org");

        Message response = ask(udp(), "alias.example.org", Type.CNAME);

        assertThat(response.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);
    }

    @Test
    void zoneRefusesACnameBesideOtherData() {
        TestZone zone = dns.zone("example.org");

        assertThatThrownBy(() -> zone.cname("mx1.example.org", "elsewhere.example.org"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RFC 1034 3.6.2");
        zone.cname("alias.example.org", "mx1.example.org");
        assertThatThrownBy(() -> zone.a("alias.example.org", "127.0.0.9"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zoneRefusesNamesOutsideItAndBadAddresses() {
        TestZone zone = dns.zone("example.org");

        assertThatThrownBy(() -> zone.a("example.com", "127.0.0.1")).hasMessageContaining("outside the zone");
        assertThatThrownBy(() -> zone.a("x.example.org", "::1")).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> zone.aaaa("x.example.org", "mx1.example.org")).hasMessageContaining("IPv6");
    }

    @Test
    void dsForTheApexOfAChildZoneIsAnsweredByTheParent() throws IOException {
        Name child = Name.fromString("child.example.org.");
        dns.zone("child.example.org").a("child.example.org", "127.0.0.4");
        dns.zone("example.org").record(new DSRecord(child, DClass.IN, 300, 12345, 13, 2, new byte[32]));

        assertThat(ask(udp(), "child.example.org", Type.DS).getSection(Section.ANSWER))
                .singleElement().isInstanceOf(DSRecord.class);
        assertThat(ask(udp(), "child.example.org", Type.A).getSection(Section.ANSWER))
                .singleElement().isInstanceOf(ARecord.class);
    }

    @Test
    void servfailForOneTypeLeavesOtherTypesAlone() throws IOException {
        dns.servfail("mx1.example.org", Type.AAAA);

        assertThat(ask(udp(), "mx1.example.org", Type.AAAA).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(ask(udp(), "mx1.example.org", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void refusedForEveryTypeOfAName() throws IOException {
        dns.refuse("mx1.example.org");

        assertThat(ask(udp(), "mx1.example.org", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(ask(udp(), "mx1.example.org", Type.AAAA).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(ask(udp(), "example.org", Type.MX).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void clearedFaultsAnswerFromTheZoneAgain() throws IOException {
        dns.servfail("example.org");
        dns.delay("example.org", Duration.ofSeconds(5));
        dns.clearFaults();

        assertThat(ask(udp(), "example.org", Type.MX).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void droppedQueryGetsNoAnswerButIsCounted() throws IOException {
        dns.drop("example.org", Type.MX);

        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(300);
            byte[] query = Message.newQuery(Record.newRecord(Name.fromString("example.org."), Type.MX, DClass.IN)).toWire();
            socket.send(new DatagramPacket(query, query.length, dns.address()));

            assertThatThrownBy(() -> socket.receive(new DatagramPacket(new byte[512], 512)))
                    .isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(dns.queryCount("EXAMPLE.org.", Type.MX)).isEqualTo(1);
    }

    @Test
    void truncatedOverUdpAndCompleteOverTcp() throws IOException {
        dns.truncateUdp("example.org", Type.MX);
        SimpleResolver noFallback = resolver();
        noFallback.setIgnoreTruncation(true);

        Message truncated = ask(noFallback, "example.org", Type.MX);
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.getSection(Section.ANSWER)).isEmpty();

        Message full = ask(udp(), "example.org", Type.MX); // dnsjava retries over TCP on TC
        assertThat(full.getSection(Section.ANSWER)).hasSize(3);
        assertThat(dns.queryCount("example.org", Type.MX, Transport.UDP)).isEqualTo(2);
        assertThat(dns.queryCount("example.org", Type.MX, Transport.TCP)).isEqualTo(1);
    }

    @Test
    void answerTooLargeForUdpWithoutEdnsIsTruncated() throws IOException {
        TestZone zone = dns.zone("example.org");
        for (int i = 0; i < 20; i++) {
            zone.txt("big.example.org", "record " + i + " " + "x".repeat(40));
        }
        SimpleResolver plain = resolver();
        plain.setEDNS(-1, 0, 0, List.of());
        plain.setIgnoreTruncation(true);

        Message response = ask(plain, "big.example.org", Type.TXT);

        assertThat(response.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(response.numBytes()).isLessThanOrEqualTo(512);
        assertThat(ask(udp(), "big.example.org", Type.TXT).getSection(Section.ANSWER)).hasSize(20);
    }

    @Test
    void delayedAnswerArrivesAfterTheDelay() throws IOException {
        dns.delay("mx1.example.org", Type.A, Duration.ofMillis(200));

        long start = System.nanoTime();
        Message response = ask(udp(), "mx1.example.org", Type.A);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(response.getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void malformedAnswerHasTheQueryIdButCannotBeParsed() throws IOException {
        dns.malformed("example.org");

        byte[] reply = rawUdp(Message.newQuery(Record.newRecord(Name.fromString("example.org."), Type.MX, DClass.IN)));

        assertThat(reply).isNotEmpty();
        assertThatThrownBy(() -> new Message(reply)).isInstanceOf(IOException.class);
    }

    @Test
    void garbageIsNoAnswerToTheQuery() throws IOException {
        dns.garbage("example.org");
        Message query = Message.newQuery(Record.newRecord(Name.fromString("example.org."), Type.MX, DClass.IN));

        byte[] reply = rawUdp(query);

        assertThat(reply).isNotEmpty();
        assertThat(reply.length >= 2 && ((reply[0] & 0xff) << 8 | (reply[1] & 0xff)) == query.getHeader().getID())
                .as("starts with the query's id").isFalse();
        assertThat(rawUdp(query)).as("the same garbage for the same query").isEqualTo(reply);
    }

    @Test
    void wrongIdAnswerIsAnNxdomainForAnotherQuery() throws IOException {
        dns.wrongId("example.org", Type.MX);
        Message query = Message.newQuery(Record.newRecord(Name.fromString("example.org."), Type.MX, DClass.IN));

        Message stray = new Message(rawUdp(query));

        assertThat(stray.getHeader().getID()).isNotEqualTo(query.getHeader().getID());
        assertThat(stray.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(stray.getQuestion().getName()).isEqualTo(Name.fromString("example.org."));
    }

    @Test
    void answerCutShortHasTheQueryIdNoTcBitAndCannotBeParsed() throws IOException {
        dns.cutShort("example.org", Type.MX);
        Message query = Message.newQuery(Record.newRecord(Name.fromString("example.org."), Type.MX, DClass.IN));

        byte[] reply = rawUdp(query);

        assertThat(new org.xbill.DNS.Header(Arrays.copyOf(reply, 12)).getID()).isEqualTo(query.getHeader().getID());
        assertThat(new org.xbill.DNS.Header(Arrays.copyOf(reply, 12)).getFlag(Flags.TC)).isFalse();
        assertThatThrownBy(() -> new Message(reply)).isInstanceOf(IOException.class);
    }

    @Test
    void refusedTcpLeavesUdpAnswering() throws IOException {
        dns.refuseTcp();
        SimpleResolver tcp = resolver();
        tcp.setTCP(true);

        assertThatThrownBy(() -> ask(tcp, "example.org", Type.MX)).isInstanceOf(IOException.class);
        assertThat(ask(udp(), "example.org", Type.MX).getSection(Section.ANSWER)).hasSize(3);
        assertThatThrownBy(() -> new java.net.Socket(dns.address().getAddress(), dns.port()))
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void unparseableQueryGetsFormerr() throws IOException {
        byte[] garbage = new byte[] {0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, 'e', 'x'};

        byte[] reply = rawUdp(garbage);

        Message response = new Message(reply);
        assertThat(response.getHeader().getID()).isEqualTo(0x1234);
        assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void ednsQueryGetsOptWithTheDoBitCopied() throws IOException {
        SimpleResolver dnssecOk = resolver();
        dnssecOk.setEDNS(0, 0, ExtendedFlags.DO, List.of());

        Message response = ask(dnssecOk, "example.org", Type.MX);

        OPTRecord opt = response.getOPT();
        assertThat(opt).isNotNull();
        assertThat(opt.getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
        assertThat(opt.getPayloadSize()).isEqualTo(1232);
        assertThat(dns.queries()).singleElement().satisfies(q -> assertThat(q.dnssecOk()).isTrue());
    }

    @Test
    void queryWithoutEdnsGetsNoOpt() throws IOException {
        SimpleResolver plain = resolver();
        plain.setEDNS(-1, 0, 0, List.of());

        assertThat(ask(plain, "example.org", Type.MX).getOPT()).isNull();
    }

    @Test
    void countsQueriesPerNameAndType() throws IOException {
        ask(udp(), "mx1.example.org", Type.A);
        ask(udp(), "MX1.example.org", Type.A);
        ask(udp(), "example.org", Type.MX);

        assertThat(dns.queryCount("mx1.example.org", Type.A)).isEqualTo(2);
        assertThat(dns.queryCount("mx1.example.org", Type.AAAA)).isZero();
        assertThat(dns.queryCount("example.org.", Type.MX)).isEqualTo(1);
    }

    @Test
    void closeReleasesThePortForUdpAndTcp() throws IOException {
        int port = dns.port();
        dns.close();

        try (DatagramSocket udp = new DatagramSocket(port, dns.address().getAddress());
             ServerSocket tcp = new ServerSocket(port, 1, dns.address().getAddress())) {
            assertThat(udp.getLocalPort()).isEqualTo(tcp.getLocalPort());
        }
    }

    private SimpleResolver udp() {
        return resolver();
    }

    private SimpleResolver resolver() {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver;
    }

    private static Message ask(SimpleResolver resolver, String name, int type) throws IOException {
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
    }

    private byte[] rawUdp(Message query) throws IOException {
        return rawUdp(query.toWire());
    }

    private byte[] rawUdp(byte[] query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(query, query.length, dns.address()));
            DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
            socket.receive(packet);
            return Arrays.copyOf(packet.getData(), packet.getLength());
        }
    }
}
