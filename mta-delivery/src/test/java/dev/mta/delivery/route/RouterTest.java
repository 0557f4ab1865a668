package dev.mta.delivery.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.security.dns.DnsResolver;
import dev.mta.security.dns.DnsSettings;
import dev.mta.security.dns.DnsjavaResolver;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.security.policy.TlsLevel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** RFC 5321 5.1 and RFC 7505 routing, against a real DNS server on loopback. */
class RouterTest {
    private static TestDnsServer dns;
    private static DnsResolver resolver;

    @BeforeAll
    static void startDns() throws Exception {
        dns = TestDnsServer.start();
        dns.zone("example.org")
                .mx("example.org", 20, "mx-b.example.org")
                .mx("example.org", 10, "mx-a1.example.org")
                .mx("example.org", 10, "mx-a2.example.org")
                .mx("example.org", 10, "mx-a3.example.org")
                .a("mx-a1.example.org", "127.0.0.2")
                .a("implicit.example.org", "127.0.0.3")
                .nullMx("nomail.example.org")
                .a("servfail.example.org", "127.0.0.4")
                .mx("loop.example.org", 10, "relay.test")
                .mx("backup.example.org", 10, "primary.example.org")
                .mx("backup.example.org", 20, "relay.test")
                .mx("backup.example.org", 30, "tertiary.example.org")
                .mx("mixed.example.org", 0, ".")
                .mx("mixed.example.org", 10, "mx-a1.example.org");
        dns.servfail("servfail.example.org", Type.MX);
        dns.drop("slow.example.org");
        resolver = DnsjavaResolver.create(new DnsSettings(List.of(dns.address()), Duration.ofMillis(300), 1));
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    private static Router router(StaticRoutes routes, long seed) {
        SelfIdentity self = new SelfIdentity(Set.of("relay.test"), List.of());
        return new Router(resolver, routes, self, 25, new Random(seed));
    }

    private static Router router() {
        return router(StaticRoutes.none(), 1);
    }

    private static List<String> hostNames(RouteResult result) {
        assertThat(result).isInstanceOf(RouteResult.Hosts.class);
        return ((RouteResult.Hosts) result).hosts().stream().map(NextHop::host).toList();
    }

    @Test
    void mxHostsAreTriedInPreferenceOrder() {
        List<String> hosts = hostNames(router().route("example.org"));
        assertThat(hosts).hasSize(4);
        assertThat(hosts.subList(0, 3)).containsExactlyInAnyOrder("mx-a1.example.org", "mx-a2.example.org", "mx-a3.example.org");
        assertThat(hosts.get(3)).isEqualTo("mx-b.example.org");
    }

    @Test
    void equalPreferencesAreSpreadOverTheHosts() {
        Set<String> firstChoices = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            firstChoices.add(hostNames(router(StaticRoutes.none(), seed).route("example.org")).getFirst());
        }
        assertThat(firstChoices).containsExactlyInAnyOrder("mx-a1.example.org", "mx-a2.example.org", "mx-a3.example.org");
    }

    @Test
    void aDomainWithoutMxRecordsIsItsOwnMailHost() {
        RouteResult result = router().route("implicit.example.org");
        assertThat(hostNames(result)).containsExactly("implicit.example.org");
        assertThat(((RouteResult.Hosts) result).hosts().getFirst().port()).isEqualTo(25);
    }

    @Test
    void aNullMxBouncesAtOnceWith5110() {
        assertThat(router().route("nomail.example.org"))
                .isEqualTo(new RouteResult.Bounce("5.1.10", "Domain nomail.example.org does not accept mail (null MX, RFC 7505)"));
    }

    @Test
    void aNullMxAmongRealMxRecordsIsIgnored() {
        assertThat(hostNames(router().route("mixed.example.org"))).containsExactly("mx-a1.example.org");
    }

    @Test
    void aDomainThatDoesNotExistBounces() {
        RouteResult result = router().route("nonexistent.example.org");
        assertThat(result).isInstanceOf(RouteResult.Bounce.class);
        assertThat(((RouteResult.Bounce) result).status()).isEqualTo("5.1.2");
    }

    @Test
    void aServfailDefersTheWholeDomain() {
        RouteResult result = router().route("servfail.example.org");
        assertThat(result).isInstanceOf(RouteResult.Defer.class);
        assertThat(((RouteResult.Defer) result).status()).isEqualTo("4.4.3");
        assertThat(((RouteResult.Defer) result).reason()).contains("SERVFAIL");
    }

    @Test
    void aTimedOutMxLookupDefersTheWholeDomainAndIsNeverAnImplicitMx() {
        RouteResult result = router().route("slow.example.org");
        assertThat(result).isInstanceOf(RouteResult.Defer.class);
        assertThat(((RouteResult.Defer) result).reason()).contains("no answer");
    }

    @Test
    void mailWhoseOnlyMxIsThisRelayLoopsWith546() {
        RouteResult result = router().route("loop.example.org");
        assertThat(result).isEqualTo(new RouteResult.Bounce("5.4.6", "mail for loop.example.org loops back to myself"));
    }

    @Test
    void asABackupMxTheRelayTriesOnlyHostsOfLowerPreference() {
        // RFC 5321 5.1: discard ourselves and every host of equal or higher preference.
        assertThat(hostNames(router().route("backup.example.org"))).containsExactly("primary.example.org");
    }

    @Test
    void aBracketedRelayHostIsUsedWithoutMxLookup() {
        StaticRoute smarthost = new StaticRoute(RelayHost.parse("[smarthost.example.net]:587"), Optional.empty(), Optional.of(TlsLevel.MAY));
        Router router = router(StaticRoutes.of(Map.of("*", smarthost)), 1);
        RouteResult result = router.route("anything.example.com");
        assertThat(hostNames(result)).containsExactly("smarthost.example.net");
        NextHop hop = ((RouteResult.Hosts) result).hosts().getFirst();
        assertThat(hop.port()).isEqualTo(587);
        assertThat(hop.route()).contains(smarthost);
        assertThat(dns.queryCount("smarthost.example.net", Type.MX)).isZero();
    }

    @Test
    void anUnbracketedRelayHostIsReachedThroughItsMxRecords() {
        StaticRoute viaMx = new StaticRoute(RelayHost.parse("example.org:2525"), Optional.empty(), Optional.of(TlsLevel.MAY));
        Router router = router(StaticRoutes.of(Map.of("routed.example.com", viaMx)), 1);
        RouteResult result = router.route("routed.example.com");
        assertThat(hostNames(result)).hasSize(4).endsWith("mx-b.example.org");
        assertThat(((RouteResult.Hosts) result).hosts()).allMatch(h -> h.port() == 2525);
    }

    @Test
    void anAddressLiteralIsTheHostItself() {
        assertThat(hostNames(router().route("[127.0.0.9]"))).containsExactly("127.0.0.9");
        assertThat(hostNames(router().route("[IPv6:::1]"))).containsExactly("::1");
    }

    @Test
    void addressesComeInThePreferredFamilyOrderAndAFailedFamilyDoesNotHideTheOther() throws Exception {
        dns.zone("dual.example").a("both.dual.example", "127.0.0.5").aaaa("both.dual.example", "::1")
                .a("v4only.dual.example", "127.0.0.6");
        dns.servfail("v4only.dual.example", Type.AAAA);
        AddressResolver v6First = new AddressResolver(resolver, List.of(AddressFamily.IPV6, AddressFamily.IPV4));
        AddressResolver v4First = new AddressResolver(resolver, List.of(AddressFamily.IPV4, AddressFamily.IPV6));
        assertThat(((HostAddresses.Found) v6First.resolve("both.dual.example")).addresses())
                .extracting(a -> a.getHostAddress()).containsExactly("0:0:0:0:0:0:0:1", "127.0.0.5");
        assertThat(((HostAddresses.Found) v4First.resolve("both.dual.example")).addresses())
                .extracting(a -> a.getHostAddress()).containsExactly("127.0.0.5", "0:0:0:0:0:0:0:1");
        assertThat(v6First.resolve("v4only.dual.example")).isInstanceOf(HostAddresses.Found.class);
        assertThat(v6First.resolve("missing.dual.example")).isInstanceOf(HostAddresses.NotFound.class);
        dns.servfail("broken.dual.example");
        assertThat(v6First.resolve("broken.dual.example")).isInstanceOf(HostAddresses.Failed.class);
        AddressResolver v4Only = new AddressResolver(resolver, List.of(AddressFamily.IPV4));
        assertThat(((HostAddresses.Found) v4Only.resolve("both.dual.example")).addresses()).hasSize(1);
    }

    @Test
    void theRelayItselfIsRecognisedByNameAndByListeningSocket() throws Exception {
        SelfIdentity self = new SelfIdentity(Set.of("Relay.Test"),
                List.of(new InetSocketAddress("127.0.0.1", 2525), new InetSocketAddress("0.0.0.0", 2626)));
        assertThat(self.isSelf("relay.TEST")).isTrue();
        assertThat(self.isSelf(java.net.InetAddress.getByName("127.0.0.1"), 2525)).isTrue();
        assertThat(self.isSelf(java.net.InetAddress.getByName("127.0.0.1"), 25)).isFalse();
        assertThat(self.isSelf(java.net.InetAddress.getByName("127.0.0.7"), 2626)).isTrue();
        assertThat(self.isSelf(java.net.InetAddress.getByName("192.0.2.1"), 2626)).isFalse();
    }
}
