package dev.mta.testsupport.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** The signed test zones, judged by dnsjava's own validator given the test root's DS. */
class SignedZonesTest {
    private TestDnsServer dns;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.startSigned();
        dns.zone("example.org")
                .mx("example.org", 10, "mx1.example.org")
                .a("mx1.example.org", "127.0.0.2")
                .tlsa("_25._tcp.mx1.example.org", 3, 1, 1, new byte[32]);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void validatorAcceptsTheChainFromTheTestRootDown() throws IOException {
        Message response = validated("example.org", Type.MX);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType).contains(Type.MX);
        // The validator walked the chain: the root's key, the DS in the root, the zone's key.
        assertThat(dns.queryCount(".", Type.DNSKEY)).isEqualTo(1);
        assertThat(dns.queryCount("example.org", Type.DS)).isEqualTo(1);
        assertThat(dns.queryCount("example.org", Type.DNSKEY)).isEqualTo(1);
    }

    @Test
    void tlsaRecordsAreServedAndSigned() throws IOException {
        Message response = validated("_25._tcp.mx1.example.org", Type.TLSA);

        assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType).contains(Type.TLSA);
    }

    @Test
    void chainRunsThroughAnIntermediateZoneAddedLater() throws IOException {
        assertThat(validated("example.org", Type.MX).getHeader().getFlag(Flags.AD)).isTrue();

        dns.zone("org"); // now the delegation to example.org moves from the root to org
        Message response = fresh().send(query("example.org", Type.MX));

        assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(ask("example.org", Type.DS, true).getSection(Section.ANSWER))
                .anySatisfy(r -> assertThat(r.getType()).isEqualTo(Type.RRSIG))
                .filteredOn(r -> r instanceof RRSIGRecord)
                .allSatisfy(r -> assertThat(((RRSIGRecord) r).getSigner()).isEqualTo(name("org")));
    }

    @Test
    void nameThatDoesNotExistIsSecurelyDenied() throws IOException {
        Message response = validated("nothing.example.org", Type.MX);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void missingTypeIsSecurelyDenied() throws IOException {
        Message response = validated("mx1.example.org", Type.AAAA);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void emptyNonTerminalIsSecurelyDenied() throws IOException {
        Message response = validated("_tcp.mx1.example.org", Type.TLSA);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void nxdomainAtTheEndOfASignedCnameIsSecurelyDenied() throws IOException {
        dns.zone("example.org").cname("alias.example.org", "gone.example.org");

        Message response = validated("alias.example.org", Type.A);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void cnameIntoAnotherZoneIsFollowedAsARecursiveResolverWould() throws IOException {
        dns.unsignedZone("example.net").a("host.example.net", "127.0.0.3");
        dns.zone("example.org").cname("away.example.org", "host.example.net");

        Message response = validated("away.example.org", Type.A);

        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType).contains(Type.CNAME, Type.A);
        assertThat(response.getHeader().getFlag(Flags.AD)).isFalse(); // the last link is unsigned
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void cnameAcrossSignedZonesIsSecure() throws IOException {
        dns.zone("example.com").a("host.example.com", "127.0.0.3");
        dns.zone("example.org").cname("away.example.org", "host.example.com");

        assertThat(validated("away.example.org", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void unsignedZoneIsAnInsecureDelegation() throws IOException {
        dns.unsignedZone("example.net").mx("example.net", 10, "mx.example.net");

        Message response = validated("example.net", Type.MX);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AD)).isFalse();
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType).contains(Type.MX);
        // The root proves with a signed NSEC that the delegation has no DS.
        Message ds = ask("example.net", Type.DS, true);
        assertThat(ds.getSection(Section.AUTHORITY)).filteredOn(r -> r instanceof NSECRecord).singleElement()
                .satisfies(r -> assertThat(((NSECRecord) r).hasType(Type.NS)).isTrue())
                .satisfies(r -> assertThat(((NSECRecord) r).hasType(Type.DS)).isFalse());
    }

    @Test
    void brokenSignatureIsBogus() throws IOException {
        dns.zone("example.org").brokenSignature();

        assertBogus(validated("example.org", Type.MX));
        assertBogus(validated("nothing.example.org", Type.MX));
    }

    @Test
    void expiredSignaturesAreBogus() throws IOException {
        dns.zone("example.org").expiredSignatures();

        assertBogus(validated("example.org", Type.MX));
    }

    @Test
    void dsThatMatchesNoKeyIsBogus() throws IOException {
        dns.zone("example.org").dsMismatch();

        assertBogus(validated("example.org", Type.MX));
    }

    @Test
    void brokenSignatureOfOneRRsetSparesTheOthers() throws IOException {
        dns.zone("example.org").brokenSignature("_25._tcp.mx1.example.org", Type.TLSA);
        ValidatingResolver validator = fresh();

        assertBogus(validator.send(query("_25._tcp.mx1.example.org", Type.TLSA)));
        assertThat(validator.send(query("mx1.example.org", Type.A)).getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void expiredSignatureOfOneRRsetSparesTheOthers() throws IOException {
        dns.zone("example.org").expiredSignature("example.org", Type.MX);
        ValidatingResolver validator = fresh();

        assertBogus(validator.send(query("example.org", Type.MX)));
        assertThat(validator.send(query("mx1.example.org", Type.A)).getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void signaturesExpireWhenTheTestSays() throws IOException {
        Instant expiration = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        dns.zone("example.org").signaturesExpireAt(expiration);

        assertThat(ask("example.org", Type.MX, true).getSection(Section.ANSWER))
                .filteredOn(r -> r instanceof RRSIGRecord).singleElement()
                .satisfies(r -> assertThat(((RRSIGRecord) r).getExpire()).isEqualTo(expiration));
    }

    @Test
    void recordAddedAfterAQueryIsSignedForTheNext() throws IOException {
        ValidatingResolver validator = fresh();
        assertThat(validator.send(query("mx2.example.org", Type.A)).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        dns.zone("example.org").a("mx2.example.org", "127.0.0.3");

        Message response = validator.send(query("mx2.example.org", Type.A));
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    }

    @Test
    void signaturesAndProofsOnlyWithTheDoBit() throws IOException {
        assertThat(ask("example.org", Type.MX, false).getSection(Section.ANSWER)).extracting(Record::getType)
                .containsOnly(Type.MX);
        assertThat(ask("example.org", Type.MX, true).getSection(Section.ANSWER)).extracting(Record::getType)
                .contains(Type.MX, Type.RRSIG);
        assertThat(ask("nothing.example.org", Type.MX, false).getSection(Section.AUTHORITY)).extracting(Record::getType)
                .containsOnly(Type.SOA);
        assertThat(ask("nothing.example.org", Type.MX, true).getSection(Section.AUTHORITY)).extracting(Record::getType)
                .contains(Type.SOA, Type.NSEC, Type.RRSIG);
    }

    @Test
    void authoritativeAnswersClaimNoValidationUnlessTold() throws IOException {
        dns.unsignedZone("example.net").mx("example.net", 10, "mx.example.net");
        assertThat(ask("example.org", Type.MX, true).getHeader().getFlag(Flags.AD)).isFalse();

        dns.claimAuthenticData(true);

        assertThat(ask("example.org", Type.MX, true).getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(ask("example.net", Type.MX, true).getHeader().getFlag(Flags.AD)).isFalse();
    }

    @Test
    void trustAnchorIsTheRootDsInPresentationFormat() throws IOException {
        List<Record> records = parse(dns.trustAnchor());

        assertThat(records).singleElement().isInstanceOfSatisfying(DSRecord.class, ds -> {
            assertThat(ds.getName()).isEqualTo(Name.root);
            assertThat(ds.getAlgorithm()).isEqualTo(DNSSEC.Algorithm.ECDSAP256SHA256);
            assertThat(ds.getDigestID()).isEqualTo(DNSSEC.Digest.SHA256);
        });
    }

    @Test
    void eachServerHasKeysOfItsOwn() throws IOException {
        try (TestDnsServer other = TestDnsServer.startSigned()) {
            assertThat(other.trustAnchor()).isNotEqualTo(dns.trustAnchor());
        }
    }

    @Test
    void unsignedServerHasNoTrustAnchorAndSignsNothing() throws IOException {
        try (TestDnsServer plain = TestDnsServer.start()) {
            TestZone zone = plain.zone("example.org");

            assertThat(zone.isSigned()).isFalse();
            assertThatThrownBy(plain::trustAnchor).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(zone::brokenSignature).hasMessageContaining("not signed");
        }
    }

    @Test
    void zoneCannotBeBothSignedAndUnsigned() {
        dns.unsignedZone("example.net");

        assertThatThrownBy(() -> dns.zone("example.net")).hasMessageContaining("already exists unsigned");
        assertThatThrownBy(() -> dns.unsignedZone("example.org")).hasMessageContaining("already exists signed");
    }

    private static void assertBogus(Message response) {
        assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(response.getHeader().getFlag(Flags.AD)).isFalse();
    }

    private Message validated(String name, int type) throws IOException {
        return fresh().send(query(name, type));
    }

    private ValidatingResolver fresh() throws IOException {
        SimpleResolver upstream = new SimpleResolver(dns.address());
        upstream.setTimeout(Duration.ofSeconds(5));
        ValidatingResolver validator = new ValidatingResolver(upstream);
        validator.loadTrustAnchors(new ByteArrayInputStream(dns.trustAnchor().getBytes(StandardCharsets.US_ASCII)));
        return validator;
    }

    private Message ask(String name, int type, boolean dnssecOk) throws IOException {
        SimpleResolver resolver = new SimpleResolver(dns.address());
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

    private static List<Record> parse(String text) throws IOException {
        try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))) {
            List<Record> records = new java.util.ArrayList<>();
            for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
                records.add(record);
            }
            return records;
        }
    }
}
