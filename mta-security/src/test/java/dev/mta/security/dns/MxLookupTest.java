package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.testsupport.dns.TestDnsServer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class MxLookupTest {
    private TestDnsServer dns;
    private DnsResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        resolver = TestResolvers.against(dns);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void mxRecordsComeInTheOrderOfTheAnswer() {
        // Sorting by preference and shuffling equal ones is the router's job (RFC 5321 5.1).
        dns.zone("example.org")
                .mx("example.org", 20, "mx2.example.org")
                .mx("example.org", 10, "mx1.example.org")
                .mx("example.org", 30, "mx3.example.net");

        DnsResult<MxRecord> result = resolver.mx("example.org");

        assertThat(result).isInstanceOf(DnsResult.Found.class);
        assertThat(((DnsResult.Found<MxRecord>) result).records()).containsExactly(
                new MxRecord(20, "mx2.example.org"),
                new MxRecord(10, "mx1.example.org"),
                new MxRecord(30, "mx3.example.net"));
    }

    @Test
    void nullMxIsFoundAsOneRecordWithAnEmptyHost() {
        dns.zone("example.org").nullMx("example.org");

        DnsResult<MxRecord> result = resolver.mx("example.org");

        assertThat(result).isEqualTo(new DnsResult.Found<>(List.of(new MxRecord(0, "")), DnsSecurity.INSECURE));
        assertThat(((DnsResult.Found<MxRecord>) result).records().getFirst().isNullMx()).isTrue();
    }

    @Test
    void domainThatExistsWithoutMxIsNoData() {
        dns.zone("example.org").a("example.org", "127.0.0.2");

        assertThat(resolver.mx("example.org")).isEqualTo(new DnsResult.NoData<>(DnsSecurity.INSECURE));
    }

    @Test
    void domainThatDoesNotExistIsNxDomain() {
        dns.zone("example.org");

        assertThat(resolver.mx("nowhere.example.org")).isEqualTo(new DnsResult.NxDomain<>(DnsSecurity.INSECURE));
    }

    @Test
    void trailingDotAndUpperCaseAreNormalised() {
        dns.zone("example.org").mx("example.org", 10, "MX1.Example.ORG");

        DnsResult<MxRecord> result = resolver.mx("EXAMPLE.Org.");

        assertThat(((DnsResult.Found<MxRecord>) result).records()).containsExactly(new MxRecord(10, "mx1.example.org"));
        assertThat(dns.queries()).singleElement().satisfies(query -> assertThat(query.name()).isEqualTo("example.org"));
    }

    @Test
    void internationalisedDomainIsAskedForAsALabel() {
        dns.zone("xn--bcher-kva.example").mx("xn--bcher-kva.example", 10, "mx.xn--bcher-kva.example");

        DnsResult<MxRecord> result = resolver.mx("Bücher.example");

        assertThat(((DnsResult.Found<MxRecord>) result).records()).containsExactly(new MxRecord(10, "mx.xn--bcher-kva.example"));
        assertThat(dns.queryCount("xn--bcher-kva.example", Type.MX)).isEqualTo(1);
    }

    @Test
    void mxLookupAsksOneQuestionOnly() {
        dns.zone("example.org").mx("example.org", 10, "mx1.example.org").a("mx1.example.org", "127.0.0.2");

        resolver.mx("example.org");

        assertThat(dns.queries()).hasSize(1);
    }

    @Test
    void everyOutcomeIsInsecureWithDnssecOff() {
        dns.zone("example.org").mx("example.org", 10, "mx1.example.org").a("mx1.example.org", "127.0.0.2");

        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.INSECURE);
        assertThat(resolver.mx("mx1.example.org").security()).isEqualTo(DnsSecurity.INSECURE);
        assertThat(resolver.mx("none.example.org").security()).isEqualTo(DnsSecurity.INSECURE);
    }

    @Test
    void textThatIsNoDomainNameIsRefusedBeforeAnyQuery() {
        assertThatThrownBy(() -> resolver.mx("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> resolver.mx(".")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> resolver.mx("a..example.org")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> resolver.mx("x".repeat(64) + ".example.org"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a domain name");
        assertThat(dns.queries()).isEmpty();
    }
}
