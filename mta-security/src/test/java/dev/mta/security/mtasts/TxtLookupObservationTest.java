package dev.mta.security.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.security.dns.DnsLookup;
import dev.mta.security.dns.DnsResult;
import dev.mta.security.dns.DnsSecurity;
import dev.mta.security.dns.DnsSettings;
import dev.mta.testsupport.dns.TestDnsServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** The TXT lookups of MTA-STS discovery are told to the observer as the resolver's are. */
class TxtLookupObservationTest {
    private TestDnsServer dns;
    private final List<DnsLookup> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        dns.zone("example.org").txt("_mta-sts.example.org", "v=STSv1; id=20240101");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void foundRecordIsToldAsInsecureNoerror() {
        assertThat(lookup(Duration.ofSeconds(5)).txt("_mta-sts.example.org")).isInstanceOf(DnsResult.Found.class);

        assertThat(seen).containsExactly(new DnsLookup("TXT", "NOERROR", DnsSecurity.INSECURE, false));
    }

    @Test
    void missingNameIsToldAsNxdomain() {
        assertThat(lookup(Duration.ofSeconds(5)).txt("_mta-sts.nowhere.example.org")).isInstanceOf(DnsResult.NxDomain.class);

        assertThat(seen).containsExactly(new DnsLookup("TXT", "NXDOMAIN", DnsSecurity.INSECURE, false));
    }

    @Test
    void serverErrorIsToldWithItsRcode() {
        dns.servfail("_mta-sts.example.org", Type.TXT);

        lookup(Duration.ofSeconds(5)).txt("_mta-sts.example.org");

        assertThat(seen).containsExactly(new DnsLookup("TXT", "SERVFAIL", DnsSecurity.INSECURE, false));
    }

    @Test
    void queryThatIsNeverAnsweredIsToldAsTimeout() {
        dns.drop("_mta-sts.example.org", Type.TXT);

        assertThat(lookup(Duration.ofMillis(300)).txt("_mta-sts.example.org")).isInstanceOf(DnsResult.Failed.class);

        assertThat(seen).containsExactly(new DnsLookup("TXT", DnsLookup.TIMEOUT, DnsSecurity.INDETERMINATE, false));
    }

    @Test
    void failingObserverNeverFailsTheLookup() {
        DnsjavaTxtLookup txt = DnsjavaTxtLookup.create(new DnsSettings(List.of(dns.address()), Duration.ofSeconds(5), 1),
                lookup -> {
                    throw new IllegalStateException("meter registry closed");
                });

        assertThat(txt.txt("_mta-sts.example.org")).isInstanceOf(DnsResult.Found.class);
    }

    private DnsjavaTxtLookup lookup(Duration timeout) {
        return DnsjavaTxtLookup.create(new DnsSettings(List.of(dns.address()), timeout, 1), seen::add);
    }
}
