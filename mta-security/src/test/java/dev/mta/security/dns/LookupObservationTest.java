package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.dns.TestZone;
import dev.mta.testsupport.time.TestClock;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Every lookup the resolver serves is told to its observer once, with the query type, the RCODE
 * (or why no answer came), the DNSSEC status and whether the cache answered; against the
 * in-process signed DNS server, validating in process.
 */
class LookupObservationTest {
    private static final byte[] DIGEST = new byte[32];

    @TempDir
    Path dir;
    private TestDnsServer dns;
    private TestZone signed;
    private TestClock clock;
    private final List<DnsLookup> seen = new CopyOnWriteArrayList<>();
    private DnsResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.startSigned();
        signed = dns.zone("example.org")
                .mx("example.org", 10, "mx1.example.org")
                .a("mx1.example.org", "127.0.0.2")
                .aaaa("mx1.example.org", "2001:db8::25")
                .tlsa("_25._tcp.mx1.example.org", 3, 1, 1, DIGEST);
        dns.unsignedZone("example.net").mx("example.net", 10, "mx.example.net");
        clock = TestClock.now();
        resolver = DnsjavaResolver.create(TestResolvers.validatingSettings(dns, dir), clock, seen::add);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void secureAnswerIsToldAsSecureNoerrorFromTheServer() {
        resolver.mx("example.org");

        assertThat(seen).containsExactly(new DnsLookup("MX", "NOERROR", DnsSecurity.SECURE, false));
    }

    @Test
    void eachQueryTypeIsNamedAsDnsWritesIt() {
        resolver.ipv4("mx1.example.org");
        resolver.ipv6("mx1.example.org");
        resolver.tlsa("_25._tcp.mx1.example.org");

        assertThat(seen).extracting(DnsLookup::type).containsExactly("A", "AAAA", "TLSA");
        assertThat(seen).extracting(DnsLookup::security).containsOnly(DnsSecurity.SECURE);
    }

    @Test
    void answerFromAnUnsignedZoneIsToldAsInsecure() {
        resolver.mx("example.net");

        assertThat(seen).containsExactly(new DnsLookup("MX", "NOERROR", DnsSecurity.INSECURE, false));
    }

    @Test
    void answerThatFailsValidationIsToldAsBogusServfail() {
        signed.brokenSignature("example.org", Type.MX);

        assertThat(resolver.mx("example.org")).isInstanceOf(DnsResult.Failed.class);

        assertThat(seen).containsExactly(new DnsLookup("MX", "SERVFAIL", DnsSecurity.BOGUS, false));
    }

    @Test
    void securelyDeniedNameIsToldAsNxdomain() {
        assertThat(resolver.mx("nowhere.example.org")).isInstanceOf(DnsResult.NxDomain.class);

        assertThat(seen).containsExactly(new DnsLookup("MX", "NXDOMAIN", DnsSecurity.SECURE, false));
    }

    @Test
    void missingTypeIsToldAsNoerror() {
        assertThat(resolver.tlsa("mx1.example.org")).isInstanceOf(DnsResult.NoData.class);

        assertThat(seen).containsExactly(new DnsLookup("TLSA", "NOERROR", DnsSecurity.SECURE, false));
    }

    @Test
    void serverErrorIsToldWithItsRcodeAndIndeterminate() {
        dns.servfail("example.org", Type.MX);

        resolver.mx("example.org");

        assertThat(seen).containsExactly(new DnsLookup("MX", "SERVFAIL", DnsSecurity.INDETERMINATE, false));
    }

    @Test
    void serverErrorWithoutValidationIsToldFromTheAnswerItself() {
        dns.refuse("example.net");
        DnsResolver plain = DnsjavaResolver.create(
                new DnsSettings(List.of(dns.address()), TestResolvers.PATIENT, 1), clock, seen::add);

        plain.mx("example.net");

        assertThat(seen).containsExactly(new DnsLookup("MX", "REFUSED", DnsSecurity.INSECURE, false));
    }

    @Test
    void queryThatIsNeverAnsweredIsToldAsTimeout() {
        dns.drop("example.org", Type.MX);
        DnsResolver impatient = DnsjavaResolver.create(DnsSettings.validating(List.of(dns.address()),
                Duration.ofMillis(300), 1, TestResolvers.anchorsFile(dns, dir)), clock, seen::add);

        assertThat(impatient.mx("example.org")).isInstanceOf(DnsResult.Failed.class);

        assertThat(seen).containsExactly(new DnsLookup("MX", DnsLookup.TIMEOUT, DnsSecurity.INDETERMINATE, false));
    }

    @Test
    void serverThatIsNotListeningIsToldAsNetworkError() throws IOException {
        DnsResolver nobody = DnsjavaResolver.create(
                new DnsSettings(List.of(closedPort()), Duration.ofSeconds(2), 1), clock, seen::add);

        nobody.mx("example.org");

        assertThat(seen).containsExactly(new DnsLookup("MX", DnsLookup.NETWORK_ERROR, DnsSecurity.INDETERMINATE, false));
    }

    @Test
    void garbledAnswerIsToldAsMalformed() {
        dns.malformed("example.org");

        resolver.mx("example.org");

        assertThat(seen).containsExactly(new DnsLookup("MX", DnsLookup.MALFORMED, DnsSecurity.INDETERMINATE, false));
    }

    @Test
    void answerServedFromTheCacheIsToldAsSuchAndCountedOnce() {
        resolver.mx("example.org");
        resolver.mx("example.org");

        assertThat(dns.queryCount("example.org", Type.MX)).isEqualTo(1);
        assertThat(seen).containsExactly(
                new DnsLookup("MX", "NOERROR", DnsSecurity.SECURE, false),
                new DnsLookup("MX", "NOERROR", DnsSecurity.SECURE, true));
    }

    @Test
    void cachedDenialIsToldFromTheCache() {
        resolver.mx("nowhere.example.org");
        resolver.mx("nowhere.example.org");

        assertThat(seen).last().isEqualTo(new DnsLookup("MX", "NXDOMAIN", DnsSecurity.SECURE, true));
    }

    @Test
    void cnameChainIsOneLookupWithTheWeakestLinksStatus() {
        dns.unsignedZone("example.com").a("host.example.com", "127.0.0.5");
        signed.cname("alias.example.org", "host.example.com");

        assertThat(resolver.ipv4("alias.example.org")).isInstanceOf(DnsResult.Found.class);

        assertThat(seen).containsExactly(new DnsLookup("A", "NOERROR", DnsSecurity.INSECURE, false));
    }

    @Test
    void chainWithOnlyPartOfItCachedIsNotFromTheCache() {
        dns.unsignedZone("example.com").a("host.example.com", "127.0.0.5");
        signed.cname("alias.example.org", "host.example.com");
        resolver.ipv4("host.example.com"); // the target alone is cached

        resolver.ipv4("alias.example.org");

        assertThat(seen).last().extracting(DnsLookup::fromCache).isEqualTo(false);
    }

    @Test
    void failingObserverNeverFailsTheLookup() {
        DnsResolver withBrokenMeter = DnsjavaResolver.create(TestResolvers.validatingSettings(dns, dir), clock,
                lookup -> {
                    throw new IllegalStateException("meter registry closed");
                });

        assertThat(withBrokenMeter.mx("example.org"))
                .isEqualTo(new DnsResult.Found<>(List.of(new MxRecord(10, "mx1.example.org")), DnsSecurity.SECURE));
        assertThat(withBrokenMeter.mx("example.org")).isInstanceOf(DnsResult.Found.class);
    }

    @Test
    void resolverWithoutAnObserverStillAnswers() {
        DnsResolver unobserved = TestResolvers.validating(dns, dir, clock);

        assertThat(unobserved.mx("example.org").security()).isEqualTo(DnsSecurity.SECURE);
        assertThat(seen).isEmpty();
    }

    private static InetSocketAddress closedPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }
    }
}
