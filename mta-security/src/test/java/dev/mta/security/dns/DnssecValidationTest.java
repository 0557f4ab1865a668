package dev.mta.security.dns;

import dev.mta.testsupport.time.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.dns.TestZone;
import dev.mta.testsupport.dns.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Validation in process (mode validate) against zones signed at test time under a test root
 * whose DS is the only trust anchor: secure, insecure and bogus answers, and proofs of absence.
 */
class DnssecValidationTest {
    private static final byte[] DIGEST = new byte[32];
    private static final TlsaRecord DANE_EE = new TlsaRecord(3, 1, 1, DIGEST);

    @TempDir
    Path dir;
    private TestDnsServer dns;
    private TestZone signed;
    private DnsResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.startSigned();
        signed = dns.zone("example.org")
                .mx("example.org", 10, "mx1.example.org")
                .a("mx1.example.org", "127.0.0.2")
                .aaaa("mx1.example.org", "2001:db8::25")
                .tlsa("_25._tcp.mx1.example.org", 3, 1, 1, DIGEST);
        dns.unsignedZone("example.net")
                .mx("example.net", 10, "mx.example.net")
                .a("mx.example.net", "127.0.0.3")
                .tlsa("_25._tcp.mx.example.net", 3, 1, 1, DIGEST);
        resolver = TestResolvers.validating(dns, dir, TestClock.now());
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void signedMxIsSecure() {
        assertThat(resolver.mx("example.org"))
                .isEqualTo(new DnsResult.Found<>(List.of(new MxRecord(10, "mx1.example.org")), DnsSecurity.SECURE));
    }

    @Test
    void signedAddressesAreSecure() {
        assertThat(resolver.ipv4("mx1.example.org").security()).isEqualTo(DnsSecurity.SECURE);
        assertThat(resolver.ipv6("mx1.example.org").security()).isEqualTo(DnsSecurity.SECURE);
        assertThat(((DnsResult.Found<InetAddress>) resolver.ipv4("mx1.example.org")).records())
                .extracting(InetAddress::getHostAddress).containsExactly("127.0.0.2");
    }

    @Test
    void signedTlsaIsSecure() {
        assertThat(resolver.tlsa("_25._tcp.mx1.example.org"))
                .isEqualTo(new DnsResult.Found<>(List.of(DANE_EE), DnsSecurity.SECURE));
    }

    @Test
    void unsignedDelegationIsInsecure() {
        assertThat(resolver.mx("example.net"))
                .isEqualTo(new DnsResult.Found<>(List.of(new MxRecord(10, "mx.example.net")), DnsSecurity.INSECURE));
        assertThat(resolver.tlsa("_25._tcp.mx.example.net"))
                .isEqualTo(new DnsResult.Found<>(List.of(DANE_EE), DnsSecurity.INSECURE));
    }

    @Test
    void brokenSignatureOnMxIsBogus() {
        signed.brokenSignature();

        assertBogus(resolver.mx("example.org"));
    }

    @Test
    void brokenSignatureOnTlsaAloneIsBogusWhileTheAddressStaysSecure() {
        signed.brokenSignature("_25._tcp.mx1.example.org", Type.TLSA);

        assertBogus(resolver.tlsa("_25._tcp.mx1.example.org"));
        assertThat(resolver.ipv4("mx1.example.org").security()).isEqualTo(DnsSecurity.SECURE);
    }

    @Test
    void expiredSignatureOnMxIsBogus() {
        signed.expiredSignature("example.org", Type.MX);

        assertBogus(resolver.mx("example.org"));
    }

    @Test
    void expiredSignatureOnTlsaIsBogus() {
        signed.expiredSignature("_25._tcp.mx1.example.org", Type.TLSA);

        assertBogus(resolver.tlsa("_25._tcp.mx1.example.org"));
    }

    @Test
    void expiredZoneIsBogus() {
        signed.expiredSignatures();

        assertBogus(resolver.mx("example.org"));
        assertBogus(resolver.tlsa("_25._tcp.mx1.example.org"));
    }

    @Test
    void dsThatMatchesNoKeyMakesMxAndTlsaBogus() {
        signed.dsMismatch();

        assertBogus(resolver.mx("example.org"));
        assertBogus(resolver.tlsa("_25._tcp.mx1.example.org"));
    }

    @Test
    void missingNameInASignedZoneIsSecurelyDenied() {
        assertThat(resolver.mx("nowhere.example.org")).isEqualTo(new DnsResult.NxDomain<>(DnsSecurity.SECURE));
        assertThat(resolver.tlsa("_25._tcp.mx2.example.org")).isEqualTo(new DnsResult.NxDomain<>(DnsSecurity.SECURE));
    }

    @Test
    void missingTypeInASignedZoneIsSecurelyDenied() {
        assertThat(resolver.mx("mx1.example.org")).isEqualTo(new DnsResult.NoData<>(DnsSecurity.SECURE));
        signed.a("mx2.example.org", "127.0.0.4");
        // RFC 7672 2.2.2: a host without TLSA records, securely: DANE does not apply, and that is sure.
        assertThat(resolver.tlsa("_25._tcp.mx2.example.org")).isEqualTo(new DnsResult.NxDomain<>(DnsSecurity.SECURE));
        assertThat(resolver.tlsa("_tcp.mx1.example.org")).isEqualTo(new DnsResult.NoData<>(DnsSecurity.SECURE));
    }

    @Test
    void denialInAnUnsignedZoneIsInsecure() {
        assertThat(resolver.mx("nowhere.example.net")).isEqualTo(new DnsResult.NxDomain<>(DnsSecurity.INSECURE));
        assertThat(resolver.mx("mx.example.net")).isEqualTo(new DnsResult.NoData<>(DnsSecurity.INSECURE));
        assertThat(resolver.tlsa("_25._tcp.none.example.net")).isEqualTo(new DnsResult.NxDomain<>(DnsSecurity.INSECURE));
    }

    @Test
    void cnameFromASignedZoneIntoAnUnsignedOneIsInsecure() {
        signed.cname("alias.example.org", "mx.example.net");

        DnsResult<InetAddress> result = resolver.ipv4("alias.example.org");

        assertThat(result.security()).isEqualTo(DnsSecurity.INSECURE);
        assertThat(((DnsResult.Found<InetAddress>) result).canonicalName()).contains("mx.example.net");
    }

    @Test
    void cnameWithinSignedZonesIsSecureAndNamesItsTarget() {
        dns.zone("example.com").a("target.example.com", "127.0.0.5");
        signed.cname("alias.example.org", "target.example.com");

        DnsResult<InetAddress> result = resolver.ipv4("Alias.Example.org.");

        assertThat(result.security()).isEqualTo(DnsSecurity.SECURE);
        assertThat(((DnsResult.Found<InetAddress>) result).canonicalName()).contains("target.example.com");
    }

    @Test
    void nameThatIsNoAliasHasNoCanonicalName() {
        assertThat(((DnsResult.Found<InetAddress>) resolver.ipv4("mx1.example.org")).canonicalName()).isEmpty();
    }

    @Test
    void bogusLinkInACnameChainMakesTheWholeLookupBogus() {
        dns.zone("example.com").a("target.example.com", "127.0.0.5").brokenSignature();
        signed.cname("alias.example.org", "target.example.com");

        assertBogus(resolver.ipv4("alias.example.org"));
    }

    @Test
    void trustAnchorOfAnotherRootMakesEverythingBogus() throws IOException {
        try (TestDnsServer other = TestDnsServer.startSigned()) {
            DnsResolver strangers = DnsjavaResolver.create(DnsSettings.validating(
                    List.of(dns.address()), TestResolvers.PATIENT, 1, TestResolvers.anchorsFile(other, dir)));

            assertBogus(strangers.mx("example.org"));
        }
    }

    @Test
    void servfailWhileValidatingIsIndeterminateNotBogus() {
        dns.servfail("example.org", Type.MX);

        DnsResult<MxRecord> result = resolver.mx("example.org");

        assertThat(result).isEqualTo(new DnsResult.Failed<>("SERVFAIL from the DNS server (example.org/MX)",
                DnsSecurity.INDETERMINATE));
    }

    @Test
    void servfailForAKeyAlongTheChainIsIndeterminateAndSaysWhichKey() {
        dns.servfail("example.org", Type.DNSKEY);

        DnsResult<MxRecord> result = resolver.mx("example.org");

        assertThat(result.security()).isEqualTo(DnsSecurity.INDETERMINATE);
        assertThat(((DnsResult.Failed<MxRecord>) result).reason())
                .isEqualTo("SERVFAIL from the DNS server (example.org/DNSKEY) while validating (example.org/MX)");
    }

    @Test
    void denialWhoseKeyCannotBeFetchedIsIndeterminateNotInsecure() {
        // The validator gives such a denial back unchecked; taking it for insecure would let an
        // attacker who blocks DNSKEY queries strip a host's TLSA records.
        dns.servfail("example.org", Type.DNSKEY);

        DnsResult<TlsaRecord> nodata = resolver.tlsa("_tcp.mx1.example.org");
        DnsResult<TlsaRecord> nxdomain = resolver.tlsa("_25._tcp.mx9.example.org");

        assertThat(nodata).isInstanceOf(DnsResult.Failed.class);
        assertThat(nodata.security()).isEqualTo(DnsSecurity.INDETERMINATE);
        assertThat(nxdomain).isInstanceOf(DnsResult.Failed.class);
        assertThat(nxdomain.security()).isEqualTo(DnsSecurity.INDETERMINATE);
    }

    @Test
    void truncatedAnswerIsValidatedAfterTheRetryOverTcp() {
        dns.truncateUdp("example.org", Type.MX);

        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.SECURE);
        assertThat(dns.queryCount("example.org", Type.MX, Transport.TCP)).isEqualTo(1);
    }

    @Test
    void queriesAskForDnssecRecords() {
        resolver.mx("example.org");

        assertThat(dns.queries()).isNotEmpty().allSatisfy(query -> assertThat(query.dnssecOk()).isTrue());
    }

    private static void assertBogus(DnsResult<?> result) {
        assertThat(result).isInstanceOf(DnsResult.Failed.class);
        assertThat(result.security()).isEqualTo(DnsSecurity.BOGUS);
        assertThat(((DnsResult.Failed<?>) result).reason()).startsWith("DNSSEC validation failed: ");
    }
}
