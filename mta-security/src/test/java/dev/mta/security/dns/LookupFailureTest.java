package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.dns.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class LookupFailureTest {
    private TestDnsServer dns;
    private DnsResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        dns.zone("example.org")
                .mx("example.org", 10, "mx1.example.org")
                .a("mx1.example.org", "127.0.0.2");
        resolver = TestResolvers.against(dns);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void servfailIsFailedNotNoData() {
        dns.servfail("example.org", Type.MX);

        assertThat(reason(resolver.mx("example.org"))).isEqualTo("SERVFAIL from the DNS server (example.org/MX)");
    }

    @Test
    void refusedIsFailed() {
        dns.refuse("example.org");

        assertThat(reason(resolver.mx("example.org"))).startsWith("REFUSED");
    }

    @Test
    void nameOutsideTheServersZonesIsFailedAsRefused() {
        assertThat(reason(resolver.mx("example.com"))).startsWith("REFUSED");
    }

    @Test
    void droppedQueryIsFailedAfterTheTimeout() {
        dns.drop("example.org", Type.MX);
        DnsResolver impatient = TestResolvers.against(dns, Duration.ofMillis(300));

        long start = System.nanoTime();
        DnsResult<MxRecord> result = impatient.mx("example.org");
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertThat(reason(result)).isEqualTo("no answer within 300 ms (example.org/MX)");
        assertThat(result.security()).isEqualTo(DnsSecurity.INDETERMINATE);
        assertThat(waited).isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
    }

    @Test
    void slowAnswerWithinTheTimeoutIsFound() {
        dns.delay("example.org", Type.MX, Duration.ofMillis(100));

        assertThat(resolver.mx("example.org")).isInstanceOf(DnsResult.Found.class);
    }

    @Test
    void truncatedUdpAnswerIsAskedAgainOverTcp() {
        dns.truncateUdp("example.org", Type.MX);

        assertThat(resolver.mx("example.org")).isEqualTo(
                new DnsResult.Found<>(List.of(new MxRecord(10, "mx1.example.org")), DnsSecurity.INSECURE));
        assertThat(dns.queryCount("example.org", Type.MX, Transport.UDP)).isEqualTo(1);
        assertThat(dns.queryCount("example.org", Type.MX, Transport.TCP)).isEqualTo(1);
    }

    @Test
    void malformedAnswerIsFailed() {
        dns.malformed("example.org");

        DnsResult<MxRecord> result = resolver.mx("example.org");

        assertThat(reason(result)).startsWith("malformed answer");
        assertThat(result.security()).isEqualTo(DnsSecurity.INDETERMINATE);
    }

    @Test
    void serverThatIsNotListeningIsFailed() throws IOException {
        InetSocketAddress closed = closedPort();
        DnsResolver nobody = DnsjavaResolver.create(new DnsSettings(List.of(closed), Duration.ofSeconds(2), 1));

        assertThat(reason(nobody.mx("example.org"))).startsWith("network error");
    }

    @Test
    void nextServerIsAskedWhenTheFirstIsNotListening() throws IOException {
        DnsResolver twoServers = DnsjavaResolver.create(
                new DnsSettings(List.of(closedPort(), dns.address()), Duration.ofSeconds(2), 1));

        assertThat(twoServers.mx("example.org")).isInstanceOf(DnsResult.Found.class);
    }

    @Test
    void failureAlongACnameChainIsFailedAndNamesTheLinkThatFailed() {
        dns.zone("example.net");
        dns.zone("example.org").cname("alias.example.org", "host.example.net");
        dns.servfail("host.example.net", Type.A);

        assertThat(reason(resolver.ipv4("alias.example.org"))).isEqualTo("SERVFAIL from the DNS server (host.example.net/A)");
    }

    private static String reason(DnsResult<?> result) {
        assertThat(result).isInstanceOf(DnsResult.Failed.class);
        return ((DnsResult.Failed<?>) result).reason();
    }

    /** A loopback port where no DNS server listens any more. */
    private static InetSocketAddress closedPort() throws IOException {
        TestDnsServer gone = TestDnsServer.start();
        gone.close();
        return gone.address();
    }
}
