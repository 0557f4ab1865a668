package dev.mta.security.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.security.dns.DnsResult;
import dev.mta.security.dns.DnsSettings;
import dev.mta.security.dns.DnsjavaResolver;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.https.HttpsResponse;
import dev.mta.testsupport.https.TestHttpsServer;
import dev.mta.testsupport.time.TestClock;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * RFC 8461 3.1 and 5.1 end to end with the production parts: the TXT record comes from the
 * in-process DNS server through {@link DnsjavaTxtLookup}, which the tests change between lookups,
 * and the policy over real HTTPS through {@link StsPolicyFetcher}. The TXT id alone decides
 * whether a cached policy is fetched again; a failed fetch or a vanished record leaves the cached
 * policy in force.
 */
class StsPolicyIdChangeOverDnsTest {
    private static final TestCertificates CERTIFICATES = TestCertificates.ec();
    private static final AtomicInteger DOMAINS = new AtomicInteger();

    @TempDir
    static Path directory;
    private static CertifiedKey ca;
    private static Path caFile;
    private static TestDnsServer dns;
    private static DnsSettings dnsSettings;
    private static DnsjavaResolver resolver;

    private TestHttpsServer https;
    private boolean httpsStopped;
    private StsPolicyFetcher fetcher;
    private DnsjavaTxtLookup txt;
    private InMemoryStsPolicyStore store;
    private StsPolicies policies;
    private String domain;

    @BeforeAll
    static void startDns() throws Exception {
        ca = CERTIFICATES.ca("MTA-STS Test CA");
        caFile = Files.writeString(directory.resolve("ca.pem"), ca.certificateChainPem());
        dns = TestDnsServer.start();
        dns.zone("example.org");
        dnsSettings = new DnsSettings(List.of(dns.address()), Duration.ofSeconds(2), 1);
        resolver = DnsjavaResolver.create(dnsSettings);
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    /** A fresh domain announcing id A, its policy host on an HTTPS server of its own. */
    @BeforeEach
    void announcePolicyA() {
        domain = "id" + DOMAINS.incrementAndGet() + ".example.org";
        https = TestHttpsServer.start(CERTIFICATES.leaf(ca, host()));
        StsFetchSettings fetchSettings = StsFetchSettings.defaults().withExtraCaFiles(List.of(caFile))
                .withPort(https.port()).withTimeout(Duration.ofSeconds(5));
        TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
        fetcher = new StsPolicyFetcher(fetchSettings, resolver, clock);
        txt = DnsjavaTxtLookup.create(dnsSettings);
        store = new InMemoryStsPolicyStore();
        policies = new StsPolicies(txt, fetcher, store, clock);

        dns.zone("example.org")
                .a(host(), https.ipAddress())
                .txt(txtName(), "v=STSv1; id=A");
        serve("mx1." + domain);
    }

    @AfterEach
    void stopHttps() {
        fetcher.close();
        if (!httpsStopped) {
            https.close();
        }
    }

    @Test
    void changedIdInDnsFetchesTheNewPolicyOnce() {
        assertInForce(policies.policyFor(domain), "A", "mx1." + domain);
        serve("mx2." + domain);

        dns.zone("example.org").replaceTxt(txtName(), "v=STSv1; id=B");

        StsLookup lookup = policies.policyFor(domain);
        assertInForce(lookup, "B", "mx2." + domain);
        assertThat(((StsLookup.InForce) lookup).refreshFailure()).isEmpty();
        assertThat(fetches()).isEqualTo(2);
        assertThat(store.load(domain)).get().extracting(StsPolicy::id).isEqualTo("B");
        // The new id is now the cached one: asking again fetches nothing more.
        assertInForce(policies.policyFor(domain), "B", "mx2." + domain);
        assertThat(fetches()).isEqualTo(2);
    }

    @Test
    void unchangedIdFetchesNothingThoughTheServerHasNewContent() {
        assertInForce(policies.policyFor(domain), "A", "mx1." + domain);
        serve("mx2." + domain);

        StsLookup lookup = policies.policyFor(domain);

        assertInForce(lookup, "A", "mx1." + domain);
        assertThat(fetches()).isEqualTo(1);
        // The TXT record was asked for both times: the id was compared, not remembered.
        assertThat(dns.queryCount(txtName(), Type.TXT)).isEqualTo(2);
    }

    @Test
    void changedIdWithThePolicyServerDownKeepsTheCachedPolicy() {
        assertInForce(policies.policyFor(domain), "A", "mx1." + domain);
        https.close();
        httpsStopped = true;

        dns.zone("example.org").replaceTxt(txtName(), "v=STSv1; id=B");

        StsLookup lookup = policies.policyFor(domain);
        // RFC 8461 5.1: a failed refresh leaves the cached policy in force until it expires.
        assertInForce(lookup, "A", "mx1." + domain);
        assertThat(((StsLookup.InForce) lookup).refreshFailure()).get().satisfies(failure -> {
            assertThat(failure.kind()).isEqualTo(FetchResult.FailureKind.FETCH_ERROR);
            assertThat(failure.reason()).contains("cannot connect");
        });
        assertThat(store.load(domain)).get().extracting(StsPolicy::id).isEqualTo("A");
    }

    @Test
    void removedTxtRecordWithdrawsNothing() {
        assertInForce(policies.policyFor(domain), "A", "mx1." + domain);
        serve("mx2." + domain);

        dns.zone("example.org").remove(txtName(), Type.TXT);

        assertThat(txt.txt(txtName())).isInstanceOf(DnsResult.NxDomain.class);
        StsLookup lookup = policies.policyFor(domain);
        // RFC 8461 5.1: the TXT record only signals changes; its absence withdraws no policy.
        assertInForce(lookup, "A", "mx1." + domain);
        assertThat(((StsLookup.InForce) lookup).refreshFailure()).isEmpty();
        assertThat(fetches()).isEqualTo(1);
    }

    @Test
    void recordPublishedAgainWithANewIdAfterAnAbsenceFetches() {
        assertInForce(policies.policyFor(domain), "A", "mx1." + domain);
        dns.zone("example.org").remove(txtName(), Type.TXT);
        assertInForce(policies.policyFor(domain), "A", "mx1." + domain);
        serve("mx2." + domain);

        dns.zone("example.org").txt(txtName(), "v=STSv1; id=B");

        assertInForce(policies.policyFor(domain), "B", "mx2." + domain);
        assertThat(fetches()).isEqualTo(2);
    }

    private String host() {
        return "mta-sts." + domain;
    }

    private String txtName() {
        return "_mta-sts." + domain;
    }

    /** Serves an enforce policy naming only {@code mx} from now on. */
    private void serve(String mx) {
        https.respond(host(), "/.well-known/mta-sts.txt",
                HttpsResponse.policy("version: STSv1\r\nmode: enforce\r\nmx: " + mx + "\r\nmax_age: 86400\r\n"));
    }

    private long fetches() {
        return https.requests().stream().filter(request -> request.host().equals(host())).count();
    }

    private static void assertInForce(StsLookup lookup, String id, String mx) {
        assertThat(lookup).isInstanceOf(StsLookup.InForce.class);
        StsPolicy policy = ((StsLookup.InForce) lookup).policy();
        assertThat(policy.id()).isEqualTo(id);
        assertThat(policy.mx()).containsExactly(mx);
        assertThat(policy.mode()).isEqualTo(StsMode.ENFORCE);
    }
}
