package dev.mta.testsupport.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * RRsets replaced and removed while the server runs: the next answer shows the change, and in a
 * signed zone validates, its denials included, with dnsjava's validator given the test root's DS.
 */
class ZoneChangesTest {
    private TestDnsServer dns;
    private TestZone zone;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.startSigned();
        zone = dns.zone("example.org")
                .mx("example.org", 10, "mx1.example.org")
                .txt("example.org", "v=spf1 -all")
                .a("mx1.example.org", "127.0.0.2")
                .tlsa("_25._tcp.mx1.example.org", 3, 1, 1, new byte[32])
                .txt("_mta-sts.example.org", "v=STSv1; id=A")
                .a("_mta-sts.example.org", "127.0.0.9");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void replacedTxtIsServedAndValidatesWithTheKeyAlreadyCached() throws IOException {
        ValidatingResolver validator = validator();
        assertThat(txt(validator.send(query("_mta-sts.example.org", Type.TXT)))).containsExactly("v=STSv1; id=A");

        zone.replaceTxt("_mta-sts.example.org", "v=STSv1; id=B");

        Message response = validator.send(query("_mta-sts.example.org", Type.TXT));
        assertSecure(response, Rcode.NOERROR);
        assertThat(txt(response)).containsExactly("v=STSv1; id=B");
    }

    @Test
    void replacementTakesThePlaceOfEveryRecordOfTheRRset() throws IOException {
        zone.txt("_mta-sts.example.org", "v=STSv1; id=second");

        zone.replaceTxt("_mta-sts.example.org", "v=STSv1; ", "id=B");

        assertThat(txt(validated("_mta-sts.example.org", Type.TXT))).containsExactly("v=STSv1; id=B");
    }

    @Test
    void replacementLeavesTheNamesOtherRRsetsAlone() throws IOException {
        zone.replaceTxt("_mta-sts.example.org", "v=STSv1; id=B");

        Message response = validated("_mta-sts.example.org", Type.A);
        assertSecure(response, Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).filteredOn(r -> r.getType() == Type.A).singleElement()
                .satisfies(r -> assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("127.0.0.9"));
    }

    @Test
    void replacedRRsetOfAnyTypeIsServedInFullAndValidates() throws IOException {
        zone.mx("example.org", 20, "mx2.example.org");

        zone.replace("example.org", Type.MX,
                new MXRecord(name("example.org"), DClass.IN, 60, 5, name("mx3.example.org")));

        Message response = validated("example.org", Type.MX);
        assertSecure(response, Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).filteredOn(r -> r.getType() == Type.MX).singleElement()
                .satisfies(r -> {
                    assertThat(((MXRecord) r).getTarget()).isEqualTo(name("mx3.example.org"));
                    assertThat(r.getTTL()).isEqualTo(60);
                });
    }

    @Test
    void replacingWhatIsNotThereYetAddsIt() throws IOException {
        zone.replaceTxt("_mta-sts.new.example.org", "v=STSv1; id=1");

        Message response = validated("_mta-sts.new.example.org", Type.TXT);
        assertSecure(response, Rcode.NOERROR);
        assertThat(txt(response)).containsExactly("v=STSv1; id=1");
    }

    @Test
    void removedRRsetOfANameWithOtherDataIsSecureNodata() throws IOException {
        ValidatingResolver validator = validator();
        assertThat(txt(validator.send(query("_mta-sts.example.org", Type.TXT)))).isNotEmpty();

        zone.remove("_mta-sts.example.org", Type.TXT);

        Message response = validator.send(query("_mta-sts.example.org", Type.TXT));
        assertSecure(response, Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        // RFC 4035 3.1.3.1: the NSEC at the name proves that TXT is gone and A stays.
        assertThat(nsecProofs("_mta-sts.example.org", Type.TXT)).singleElement().satisfies(nsec -> {
            assertThat(nsec.getName()).isEqualTo(name("_mta-sts.example.org"));
            assertThat(nsec.hasType(Type.TXT)).isFalse();
            assertThat(nsec.hasType(Type.A)).isTrue();
        });
    }

    @Test
    void removedLastRRsetOfANameIsSecureNxdomain() throws IOException {
        zone.remove("_mta-sts.example.org", Type.TXT).remove("_mta-sts.example.org", Type.A);

        assertSecure(validated("_mta-sts.example.org", Type.TXT), Rcode.NXDOMAIN);
        // The NSEC chain no longer passes through the name, so no NSEC can claim it exists.
        assertThat(nsecProofs("_mta-sts.example.org", Type.TXT)).isNotEmpty()
                .noneMatch(nsec -> nsec.getName().equals(name("_mta-sts.example.org")))
                .noneMatch(nsec -> nsec.getNext().equals(name("_mta-sts.example.org")));
    }

    @Test
    void removedRRsetTakesItsEmptyNonTerminalsWithIt() throws IOException {
        assertSecure(validated("_tcp.mx1.example.org", Type.TLSA), Rcode.NOERROR); // an empty non-terminal

        zone.remove("_25._tcp.mx1.example.org", Type.TLSA);

        assertSecure(validated("_25._tcp.mx1.example.org", Type.TLSA), Rcode.NXDOMAIN);
        assertSecure(validated("_tcp.mx1.example.org", Type.TLSA), Rcode.NXDOMAIN);
        assertSecure(validated("mx1.example.org", Type.A), Rcode.NOERROR);
    }

    @Test
    void removedRRsetCanBeAddedAgain() throws IOException {
        zone.remove("_mta-sts.example.org", Type.TXT);
        assertSecure(validated("_mta-sts.example.org", Type.TXT), Rcode.NOERROR);

        zone.txt("_mta-sts.example.org", "v=STSv1; id=C");

        Message response = validated("_mta-sts.example.org", Type.TXT);
        assertSecure(response, Rcode.NOERROR);
        assertThat(txt(response)).containsExactly("v=STSv1; id=C");
    }

    @Test
    void signatureFaultOfAnRRsetOutlivesItsReplacement() throws IOException {
        zone.brokenSignature("_mta-sts.example.org", Type.TXT);

        zone.replaceTxt("_mta-sts.example.org", "v=STSv1; id=B");

        Message response = validated("_mta-sts.example.org", Type.TXT);
        assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(response.getHeader().getFlag(Flags.AD)).isFalse();
    }

    @Test
    void unsignedZoneBelowASignedParentIsChangedToo() throws IOException {
        TestZone unsigned = dns.unsignedZone("example.net").txt("_mta-sts.example.net", "v=STSv1; id=A");

        unsigned.replaceTxt("_mta-sts.example.net", "v=STSv1; id=B");
        Message replaced = validated("_mta-sts.example.net", Type.TXT);
        unsigned.remove("_mta-sts.example.net", Type.TXT);
        Message removed = validated("_mta-sts.example.net", Type.TXT);

        assertThat(txt(replaced)).containsExactly("v=STSv1; id=B");
        assertThat(replaced.getHeader().getFlag(Flags.AD)).isFalse();
        assertThat(removed.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(removed.getHeader().getFlag(Flags.AD)).isFalse();
    }

    @Test
    void plainServerServesTheReplacementAndDeniesWhatWasRemoved() throws IOException {
        try (TestDnsServer plain = TestDnsServer.start()) {
            TestZone unsigned = plain.zone("example.org")
                    .txt("_mta-sts.example.org", "v=STSv1; id=A")
                    .a("mx1.example.org", "127.0.0.2")
                    .txt("mx1.example.org", "host");

            unsigned.replaceTxt("_mta-sts.example.org", "v=STSv1; id=B");
            assertThat(txt(ask(plain, "_mta-sts.example.org", Type.TXT, false))).containsExactly("v=STSv1; id=B");

            unsigned.remove("_mta-sts.example.org", Type.TXT).remove("mx1.example.org", Type.TXT);
            Message nxdomain = ask(plain, "_mta-sts.example.org", Type.TXT, false);
            Message nodata = ask(plain, "mx1.example.org", Type.TXT, false);

            assertThat(nxdomain.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(nxdomain.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
            assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
            assertThat(nodata.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
            assertThat(ask(plain, "mx1.example.org", Type.A, false).getSection(Section.ANSWER)).hasSize(1);
        }
    }

    @Test
    void plainServerLetsTheTestChangeTypesASignerWouldKeep() throws IOException {
        try (TestDnsServer plain = TestDnsServer.start()) {
            TestZone unsigned = plain.zone("example.org");
            Record nsec = new NSECRecord(name("a.example.org"), DClass.IN, 300, name("b.example.org"), new int[] {Type.A});

            unsigned.replace("a.example.org", Type.NSEC, nsec).remove("a.example.org", Type.NSEC);

            assertThat(ask(plain, "a.example.org", Type.NSEC, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        }
    }

    @Test
    void cnameCanBeRepointed() throws IOException {
        zone.cname("alias.example.org", "mx1.example.org");

        zone.replace("alias.example.org", Type.CNAME,
                new CNAMERecord(name("alias.example.org"), DClass.IN, 300, name("example.org")));

        Message response = validated("alias.example.org", Type.MX);
        assertSecure(response, Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType).contains(Type.CNAME, Type.MX);
    }

    @Test
    void replacementThatWouldPutACnameBesideOtherDataIsRefused() {
        zone.cname("alias.example.org", "mx1.example.org");
        Record cname = new CNAMERecord(name("mx1.example.org"), DClass.IN, 300, name("example.org"));

        assertThatThrownBy(() -> zone.replace("mx1.example.org", Type.CNAME, cname)).hasMessageContaining("RFC 1034 3.6.2");
        assertThatThrownBy(() -> zone.replaceTxt("alias.example.org", "text")).hasMessageContaining("RFC 1034 3.6.2");
    }

    @Test
    void replacementMustMatchTheNameAndTypeItReplaces() {
        Record otherName = new TXTRecord(name("other.example.org"), DClass.IN, 300, "text");
        Record otherType = new ARecord(name("_mta-sts.example.org"), DClass.IN, 300, new byte[] {127, 0, 0, 3});

        assertThatThrownBy(() -> zone.replace("_mta-sts.example.org", Type.TXT, otherName))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a record of");
        assertThatThrownBy(() -> zone.replace("_mta-sts.example.org", Type.TXT, otherType))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a record of");
        assertThatThrownBy(() -> zone.replace("_mta-sts.example.org", Type.TXT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use remove");
        assertThatThrownBy(() -> zone.replaceTxt("example.com", "text"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the zone");
    }

    @Test
    void removingWhatIsNotThereIsRefused() {
        assertThatThrownBy(() -> zone.remove("mx1.example.org", Type.AAAA))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to remove");
        assertThatThrownBy(() -> zone.remove("nothing.example.org", Type.A))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to remove");
    }

    @Test
    void recordsTheZoneKeepsItselfCannotBeChanged() throws IOException {
        Record dnskey = ask(dns, "example.org", Type.DNSKEY, false).getSection(Section.ANSWER).getFirst();

        assertThatThrownBy(() -> zone.remove("example.org", Type.SOA)).hasMessageContaining("kept by the zone");
        assertThatThrownBy(() -> zone.remove("example.org", Type.DNSKEY)).hasMessageContaining("kept by the zone");
        assertThatThrownBy(() -> zone.remove("mx1.example.org", Type.NSEC)).hasMessageContaining("kept by the zone");
        assertThatThrownBy(() -> zone.replace("example.org", Type.DNSKEY, dnskey)).hasMessageContaining("kept by the zone");
        assertSecure(validated("example.org", Type.MX), Rcode.NOERROR);
    }

    private static void assertSecure(Message response, int rcode) {
        assertThat(response.getRcode()).as(Rcode.string(response.getRcode())).isEqualTo(rcode);
        assertThat(response.getHeader().getFlag(Flags.AD)).as("AD").isTrue();
    }

    private static List<String> txt(Message response) {
        return response.getSection(Section.ANSWER).stream()
                .filter(r -> r instanceof TXTRecord)
                .map(r -> String.join("", ((TXTRecord) r).getStrings()))
                .toList();
    }

    private List<NSECRecord> nsecProofs(String name, int type) throws IOException {
        return ask(dns, name, type, true).getSection(Section.AUTHORITY).stream()
                .filter(r -> r instanceof NSECRecord)
                .map(r -> (NSECRecord) r)
                .toList();
    }

    private Message validated(String name, int type) throws IOException {
        return validator().send(query(name, type));
    }

    private ValidatingResolver validator() throws IOException {
        SimpleResolver upstream = new SimpleResolver(dns.address());
        upstream.setTimeout(Duration.ofSeconds(5));
        ValidatingResolver validator = new ValidatingResolver(upstream);
        validator.loadTrustAnchors(new ByteArrayInputStream(dns.trustAnchor().getBytes(StandardCharsets.US_ASCII)));
        return validator;
    }

    private static Message ask(TestDnsServer server, String name, int type, boolean dnssecOk) throws IOException {
        SimpleResolver resolver = new SimpleResolver(server.address());
        resolver.setTimeout(Duration.ofSeconds(5));
        resolver.setEDNS(0, 0, dnssecOk ? ExtendedFlags.DO : 0, List.of());
        return resolver.send(query(name, type));
    }

    private static Message query(String name, int type) {
        return Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
    }

    private static Name name(String name) {
        return DnsNames.absolute(name);
    }
}
