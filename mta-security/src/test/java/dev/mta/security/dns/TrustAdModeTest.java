package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.testsupport.dns.TestDnsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mode trust-ad: the AD bit of a validating resolver on loopback is believed, and nothing else. */
class TrustAdModeTest {
    private TestDnsServer dns;
    private DnsResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.startSigned();
        dns.zone("example.org").mx("example.org", 10, "mx1.example.org");
        dns.unsignedZone("example.net").mx("example.net", 10, "mx.example.net");
        resolver = DnsjavaResolver.create(DnsSettings.trustingAd(List.of(dns.address()), TestResolvers.PATIENT, 1));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void adBitFromALoopbackResolverMakesTheAnswerSecure() {
        dns.claimAuthenticData(true);

        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.SECURE);
        assertThat(resolver.mx("nowhere.example.org")).isEqualTo(new DnsResult.NxDomain<>(DnsSecurity.SECURE));
    }

    @Test
    void answerWithoutTheAdBitIsInsecure() {
        dns.claimAuthenticData(true); // the resolver sets AD for signed zones only

        assertThat(resolver.mx("example.net").security()).isEqualTo(DnsSecurity.INSECURE);
    }

    @Test
    void resolverThatDoesNotValidateGivesOnlyInsecureAnswers() {
        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.INSECURE);
    }

    @Test
    void signaturesAreNotCheckedInThisMode() {
        // Believing AD means believing the resolver: a broken signature is its business.
        dns.zone("example.org").brokenSignature();
        dns.claimAuthenticData(true);

        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.SECURE);
    }

    @Test
    void servfailWithoutADnssecReasonIsIndeterminate() {
        dns.servfail("example.org");

        assertThat(resolver.mx("example.org")).isEqualTo(
                new DnsResult.Failed<>("SERVFAIL from the DNS server (example.org/MX)", DnsSecurity.INDETERMINATE));
    }

    @Test
    void queriesAskForDnssecRecords() {
        resolver.mx("example.org");

        assertThat(dns.queries()).singleElement().satisfies(query -> assertThat(query.dnssecOk()).isTrue());
    }

    @Test
    void resolverNotOnLoopbackIsRefused() {
        InetSocketAddress remote = DnsSettings.parseServer("192.0.2.53");

        assertThatThrownBy(() -> DnsSettings.trustingAd(List.of(dns.address(), remote), TestResolvers.PATIENT, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("192.0.2.53 is not a loopback address");
    }

    @Test
    void systemResolversAreRefusedBecauseTheyCannotBeChecked() {
        assertThatThrownBy(() -> DnsSettings.trustingAd(List.of(), TestResolvers.PATIENT, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("all on loopback");
    }

    @Test
    void ipv6LoopbackIsAccepted() {
        assertThat(DnsSettings.trustingAd(List.of(DnsSettings.parseServer("[::1]:5353")), TestResolvers.PATIENT, 1).dnssec())
                .isEqualTo(DnssecMode.TRUST_AD);
    }
}
