package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.dns.TestZone;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class AddressLookupTest {
    private TestDnsServer dns;
    private DnsResolver resolver;
    private TestZone zone;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        resolver = TestResolvers.against(dns);
        zone = dns.zone("example.org")
                .a("mx1.example.org", "127.0.0.2")
                .a("mx1.example.org", "127.0.0.3")
                .aaaa("mx1.example.org", "2001:db8::25");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void ipv4FindsTheARecords() {
        assertThat(addresses(resolver.ipv4("mx1.example.org")))
                .containsExactly("127.0.0.2", "127.0.0.3");
        assertThat(found(resolver.ipv4("mx1.example.org"))).allMatch(Inet4Address.class::isInstance);
    }

    @Test
    void ipv6FindsTheAaaaRecords() {
        assertThat(found(resolver.ipv6("mx1.example.org"))).singleElement()
                .isInstanceOf(Inet6Address.class)
                .isEqualTo(address("2001:db8::25"));
    }

    @Test
    void ipv4LookupSendsNoAaaaQuery() {
        resolver.ipv4("mx1.example.org");

        assertThat(dns.queryCount("mx1.example.org", Type.A)).isEqualTo(1);
        assertThat(dns.queryCount("mx1.example.org", Type.AAAA)).isZero();
    }

    @Test
    void addressesCarryTheHostNameAskedFor() {
        zone.cname("alias.example.org", "mx1.example.org");

        assertThat(found(resolver.ipv4("Alias.Example.org."))).allSatisfy(
                address -> assertThat(address.getHostName()).isEqualTo("alias.example.org"));
    }

    @Test
    void hostWithoutTheAddressFamilyIsNoData() {
        zone.a("v4only.example.org", "127.0.0.4");

        assertThat(resolver.ipv6("v4only.example.org")).isInstanceOf(DnsResult.NoData.class);
    }

    @Test
    void cnameChainWithinOneAnswerLeadsToTheAddresses() {
        zone.cname("www.example.org", "web.example.org").cname("web.example.org", "mx1.example.org");

        assertThat(addresses(resolver.ipv4("www.example.org"))).containsExactly("127.0.0.2", "127.0.0.3");
        assertThat(dns.queries()).hasSize(1);
    }

    @Test
    void cnameToAnotherZoneIsFollowedWithANewQuery() {
        dns.zone("example.net").a("host.example.net", "127.0.0.5");
        zone.cname("away.example.org", "host.example.net");

        assertThat(addresses(resolver.ipv4("away.example.org"))).containsExactly("127.0.0.5");
        assertThat(dns.queryCount("host.example.net", Type.A)).isEqualTo(1);
    }

    @Test
    void cnameChainOfEightLinksIsFollowed() {
        chain("link", 8, "mx1.example.org");

        assertThat(resolver.ipv4("link0.example.org")).isInstanceOf(DnsResult.Found.class);
    }

    @Test
    void cnameChainOfNineLinksIsFailed() {
        chain("link", 9, "mx1.example.org");

        DnsResult<InetAddress> result = resolver.ipv4("link0.example.org");

        assertThat(result).isInstanceOf(DnsResult.Failed.class);
        assertThat(((DnsResult.Failed<InetAddress>) result).reason()).contains("CNAME chain longer than 8");
    }

    @Test
    void cnameLoopIsFailed() {
        zone.cname("ping.example.org", "pong.example.org").cname("pong.example.org", "ping.example.org");

        DnsResult<InetAddress> result = resolver.ipv4("ping.example.org");

        assertThat(result).isInstanceOf(DnsResult.Failed.class);
        assertThat(((DnsResult.Failed<InetAddress>) result).reason()).contains("CNAME loop");
    }

    @Test
    void cnameLoopAcrossZonesIsFailed() {
        dns.zone("example.net").cname("back.example.net", "there.example.org");
        zone.cname("there.example.org", "back.example.net");

        DnsResult<InetAddress> result = resolver.ipv4("there.example.org");

        assertThat(result).isInstanceOf(DnsResult.Failed.class);
        assertThat(((DnsResult.Failed<InetAddress>) result).reason()).contains("CNAME loop at there.example.org");
        assertThat(dns.queries()).hasSize(2);
    }

    @Test
    void nxdomainAfterACnameIsNxDomain() {
        zone.cname("dangling.example.org", "gone.example.org");

        assertThat(resolver.ipv4("dangling.example.org")).isInstanceOf(DnsResult.NxDomain.class);
    }

    @Test
    void nxdomainAfterACnameToAnotherZoneIsNxDomain() {
        dns.zone("example.net");
        zone.cname("dangling.example.org", "gone.example.net");

        assertThat(resolver.ipv4("dangling.example.org")).isInstanceOf(DnsResult.NxDomain.class);
    }

    @Test
    void nodataAfterACnameIsNoData() {
        zone.a("v4only.example.org", "127.0.0.4").cname("alias.example.org", "v4only.example.org");

        assertThat(resolver.ipv6("alias.example.org")).isInstanceOf(DnsResult.NoData.class);
    }

    @Test
    void concurrentLookupsEachGetTheirOwnAnswer() throws Exception {
        int hosts = 40;
        for (int i = 0; i < hosts; i++) {
            zone.a("host" + i + ".example.org", "127.0.1." + i);
        }
        List<Future<List<String>>> answers = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < hosts; i++) {
                String host = "host" + i + ".example.org";
                answers.add(threads.submit(() -> addresses(resolver.ipv4(host))));
            }
        }
        for (int i = 0; i < hosts; i++) {
            assertThat(answers.get(i).get()).containsExactly("127.0.1." + i);
        }
    }

    private void chain(String prefix, int links, String end) {
        for (int i = 0; i < links; i++) {
            String next = i == links - 1 ? end : prefix + (i + 1) + ".example.org";
            zone.cname(prefix + i + ".example.org", next);
        }
    }

    private static List<InetAddress> found(DnsResult<InetAddress> result) {
        assertThat(result).isInstanceOf(DnsResult.Found.class);
        return ((DnsResult.Found<InetAddress>) result).records();
    }

    private static List<String> addresses(DnsResult<InetAddress> result) {
        return found(result).stream().map(InetAddress::getHostAddress).toList();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
