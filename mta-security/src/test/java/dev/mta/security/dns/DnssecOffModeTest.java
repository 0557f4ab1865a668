package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.dns.TestDnsServer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mode off: no DNSSEC at all, so every answer is insecure, even from a signed zone. */
class DnssecOffModeTest {
    private TestDnsServer dns;
    private DnsResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.startSigned();
        dns.zone("example.org").mx("example.org", 10, "mx1.example.org").tlsa("_25._tcp.mx1.example.org", 3, 1, 1, new byte[32]);
        resolver = TestResolvers.against(dns);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void signedZoneIsInsecureWithoutValidation() {
        assertThat(resolver.mx("example.org"))
                .isEqualTo(new DnsResult.Found<>(List.of(new MxRecord(10, "mx1.example.org")), DnsSecurity.INSECURE));
        assertThat(resolver.tlsa("_25._tcp.mx1.example.org").security()).isEqualTo(DnsSecurity.INSECURE);
        assertThat(resolver.mx("nowhere.example.org")).isEqualTo(new DnsResult.NxDomain<>(DnsSecurity.INSECURE));
    }

    @Test
    void brokenSignaturesGoUnnoticed() {
        dns.zone("example.org").brokenSignature();

        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.INSECURE);
    }

    @Test
    void noDnssecRecordsAreAskedFor() {
        resolver.mx("example.org");

        assertThat(dns.queries()).singleElement().satisfies(query -> assertThat(query.dnssecOk()).isFalse());
    }

    @Test
    void threeArgumentSettingsMeanOff() {
        DnsSettings settings = new DnsSettings(List.of(dns.address()), TestResolvers.PATIENT, 1);

        assertThat(settings.dnssec()).isEqualTo(DnssecMode.OFF);
        assertThat(settings.trustAnchors()).isEmpty();
    }
}
