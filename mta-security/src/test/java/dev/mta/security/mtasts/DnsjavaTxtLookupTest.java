package dev.mta.security.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.security.dns.DnsResult;
import dev.mta.security.dns.DnsSettings;
import dev.mta.testsupport.dns.TestDnsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TXT questions to the in-process DNS server, over real UDP. */
class DnsjavaTxtLookupTest {
    private static TestDnsServer dns;
    private static DnsjavaTxtLookup lookup;

    @BeforeAll
    static void start() throws Exception {
        dns = TestDnsServer.start();
        dns.zone("example.org")
                .txt("_mta-sts.example.org", "v=STSv1; id=1")
                .txt("_mta-sts.example.org", "v=spf1 -all")
                .txt("_mta-sts.split.example.org", "v=STSv1; ", "id=2")
                .cname("_mta-sts.alias.example.org", "_mta-sts.example.org")
                .a("nodata.example.org", "127.0.0.1");
        dns.servfail("_mta-sts.broken.example.org");
        dns.drop("_mta-sts.silent.example.org");
        lookup = DnsjavaTxtLookup.create(new DnsSettings(List.of(dns.address()), Duration.ofMillis(500), 1));
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    @Test
    void findsEveryTxtRecord() {
        DnsResult<List<String>> result = lookup.txt("_mta-sts.EXAMPLE.org.");
        assertThat(result).isInstanceOf(DnsResult.Found.class);
        assertThat(((DnsResult.Found<List<String>>) result).records())
                .containsExactlyInAnyOrder(List.of("v=STSv1; id=1"), List.of("v=spf1 -all"));
    }

    @Test
    void keepsTheStringsOfOneRecordApart() {
        assertThat(((DnsResult.Found<List<String>>) lookup.txt("_mta-sts.split.example.org")).records())
                .containsExactly(List.of("v=STSv1; ", "id=2"));
    }

    @Test
    void followsACname() {
        assertThat(((DnsResult.Found<List<String>>) lookup.txt("_mta-sts.alias.example.org")).records())
                .contains(List.of("v=STSv1; id=1"));
    }

    @Test
    void reportsNoSuchName() {
        assertThat(lookup.txt("_mta-sts.missing.example.org")).isInstanceOf(DnsResult.NxDomain.class);
    }

    @Test
    void reportsNoData() {
        assertThat(lookup.txt("nodata.example.org")).isInstanceOf(DnsResult.NoData.class);
    }

    @Test
    void reportsSilenceAsAFailureWithinTheTimeout() {
        long start = System.nanoTime();
        assertThat(lookup.txt("_mta-sts.silent.example.org")).isInstanceOf(DnsResult.Failed.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void reportsServerFailure() {
        assertThat(lookup.txt("_mta-sts.broken.example.org")).isInstanceOf(DnsResult.Failed.class);
    }
}
