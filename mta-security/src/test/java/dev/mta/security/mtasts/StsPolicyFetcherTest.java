package dev.mta.security.mtasts;

import dev.mta.testsupport.time.TestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.security.dns.DnsSettings;
import dev.mta.security.dns.DnsjavaResolver;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.https.HttpsResponse;
import dev.mta.testsupport.https.ReceivedRequest;
import dev.mta.testsupport.https.TestHttpsServer;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 8461 3.3: fetching over real HTTPS, the host found through the in-process DNS server. */
class StsPolicyFetcherTest {
    static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.org\r\nmax_age: 86400\r\n";
    private static final TestCertificates CERTIFICATES = TestCertificates.ec();
    private static final AtomicInteger DOMAINS = new AtomicInteger();
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    static Path directory;
    private static CertifiedKey ca;
    private static Path caFile;
    private static TestDnsServer dns;
    private static TestHttpsServer https;
    private static DnsjavaResolver resolver;
    private static StsPolicyFetcher fetcher;

    @BeforeAll
    static void start() throws Exception {
        ca = CERTIFICATES.ca("MTA-STS Test CA");
        caFile = Files.writeString(directory.resolve("ca.pem"), ca.certificateChainPem());
        dns = TestDnsServer.start();
        dns.zone("example.org");
        https = TestHttpsServer.start(CERTIFICATES.leaf(ca, "default.example.org"));
        resolver = DnsjavaResolver.create(new DnsSettings(List.of(dns.address()), Duration.ofSeconds(2), 1));
        fetcher = new StsPolicyFetcher(settings(), resolver, new TestClock(NOW));
    }

    @AfterAll
    static void stop() {
        fetcher.close();
        https.close();
        dns.close();
    }

    static StsFetchSettings settings() {
        return StsFetchSettings.defaults().withExtraCaFiles(List.of(caFile)).withPort(https.port()).withTimeout(Duration.ofSeconds(5));
    }

    /** A fresh domain whose policy host has an address and a certificate from the test CA. */
    private static String domain() {
        String domain = "d" + DOMAINS.incrementAndGet() + ".example.org";
        dns.zone("example.org").a("mta-sts." + domain, https.ipAddress());
        https.certificate("mta-sts." + domain, CERTIFICATES.leaf(ca, "mta-sts." + domain));
        return domain;
    }

    private static String serve(HttpsResponse response) {
        String domain = domain();
        https.respond("mta-sts." + domain, "/.well-known/mta-sts.txt", response);
        return domain;
    }

    private static FetchResult.Failed failed(FetchResult result, FetchResult.FailureKind kind) {
        assertThat(result).isInstanceOf(FetchResult.Failed.class);
        FetchResult.Failed failed = (FetchResult.Failed) result;
        assertThat(failed.kind()).as(failed.reason()).isEqualTo(kind);
        return failed;
    }

    @Test
    void fetchesAndParsesThePolicyWithSniAndHost() {
        String domain = serve(HttpsResponse.policy(POLICY));
        FetchResult result = fetcher.fetch(domain, "id1");
        assertThat(result).isEqualTo(new FetchResult.Fetched(
                new StsPolicy(StsMode.ENFORCE, List.of("mx.example.org"), Duration.ofDays(1), "id1", NOW)));
        assertThat(https.requests()).extracting(ReceivedRequest::serverName, ReceivedRequest::host, ReceivedRequest::method,
                ReceivedRequest::path).contains(org.assertj.core.groups.Tuple.tuple(Optional.of("mta-sts." + domain),
                "mta-sts." + domain, "GET", "/.well-known/mta-sts.txt"));
    }

    @Test
    void mediaTypeParametersAreAllowed() {
        String domain = serve(HttpsResponse.ok("text/plain; charset=utf-8", POLICY));
        assertThat(fetcher.fetch(domain, "1")).isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    void otherMediaTypeIsAFetchError() {
        String domain = serve(HttpsResponse.ok("text/html", POLICY));
        assertThat(failed(fetcher.fetch(domain, "1"), FetchResult.FailureKind.FETCH_ERROR).reason()).contains("text/html");
    }

    @Test
    void missingMediaTypeIsAFetchError() {
        String domain = serve(HttpsResponse.policy(POLICY).withoutHeader("Content-Type"));
        failed(fetcher.fetch(domain, "1"), FetchResult.FailureKind.FETCH_ERROR);
    }

    @Test
    void notFoundIsAFetchError() {
        String domain = domain();
        assertThat(failed(fetcher.fetch(domain, "1"), FetchResult.FailureKind.FETCH_ERROR).reason()).contains("404");
    }

    @Test
    void serverErrorIsAFetchError() {
        String domain = serve(HttpsResponse.status(500));
        failed(fetcher.fetch(domain, "1"), FetchResult.FailureKind.FETCH_ERROR);
    }

    @Test
    void redirectIsRefusedAndNotFollowed() {
        String target = serve(HttpsResponse.policy(POLICY));
        String domain = serve(HttpsResponse.redirect(302, "https://mta-sts." + target + "/.well-known/mta-sts.txt"));
        assertThat(failed(fetcher.fetch(domain, "1"), FetchResult.FailureKind.FETCH_ERROR).reason()).contains("302");
        assertThat(https.requests()).noneMatch(request -> request.host().equals("mta-sts." + target));
    }

    @Test
    void bodyOverTheSizeLimitIsAFetchError() {
        String domain = serve(HttpsResponse.huge(StsFetchSettings.DEFAULT_MAX_POLICY_BYTES + 1));
        assertThat(failed(fetcher.fetch(domain, "1"), FetchResult.FailureKind.FETCH_ERROR).reason()).contains("larger than");
    }

    @Test
    void invalidBodyIsAnInvalidPolicy() {
        String domain = serve(HttpsResponse.policy("version: STSv1\nmode: enforce\nmax_age: 60\n"));
        assertThat(failed(fetcher.fetch(domain, "1"), FetchResult.FailureKind.POLICY_INVALID).reason()).contains("no mx");
    }

    @Test
    void certificateForAnotherNameIsWebPkiInvalid() {
        String domain = serve(HttpsResponse.policy(POLICY));
        https.certificate("mta-sts." + domain, CERTIFICATES.leafWithWrongNames(ca));
        failed(fetcher.fetch(domain, "1"), FetchResult.FailureKind.WEBPKI_INVALID);
        assertThat(https.requests()).noneMatch(request -> request.host().equals("mta-sts." + domain));
    }

    @Test
    void wildcardCertificateCoveringThePolicyHostIsAccepted() {
        String domain = serve(HttpsResponse.policy(POLICY));
        https.certificate("mta-sts." + domain, CERTIFICATES.leaf(ca, "*." + domain));
        assertThat(fetcher.fetch(domain, "1")).isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    void certificateFromAnUntrustedCaIsWebPkiInvalid() {
        String domain = serve(HttpsResponse.policy(POLICY));
        CertifiedKey stranger = CERTIFICATES.ca("Unknown CA");
        https.certificate("mta-sts." + domain, CERTIFICATES.leaf(stranger, "mta-sts." + domain));
        failed(fetcher.fetch(domain, "1"), FetchResult.FailureKind.WEBPKI_INVALID);
    }

    @Test
    void expiredCertificateIsWebPkiInvalid() {
        String domain = serve(HttpsResponse.policy(POLICY));
        https.certificate("mta-sts." + domain, CERTIFICATES.expiredLeaf(ca, "mta-sts." + domain));
        failed(fetcher.fetch(domain, "1"), FetchResult.FailureKind.WEBPKI_INVALID);
    }

    @Test
    void withoutTheExtraCaFileTheTestCaIsNotTrusted() {
        String domain = serve(HttpsResponse.policy(POLICY));
        StsFetchSettings systemOnly = settings().withExtraCaFiles(List.of());
        try (StsPolicyFetcher plain = new StsPolicyFetcher(systemOnly, resolver, new TestClock(NOW))) {
            failed(plain.fetch(domain, "1"), FetchResult.FailureKind.WEBPKI_INVALID);
        }
    }

    @Test
    void slowAnswerIsATimeout() {
        String domain = serve(HttpsResponse.policy(POLICY).delayedBy(Duration.ofSeconds(3)));
        try (StsPolicyFetcher impatient = new StsPolicyFetcher(settings().withTimeout(Duration.ofMillis(400)), resolver,
                new TestClock(NOW))) {
            long start = System.nanoTime();
            assertThat(failed(impatient.fetch(domain, "1"), FetchResult.FailureKind.FETCH_ERROR).reason())
                    .contains("no answer");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void hostWithoutAddressIsAFetchError() {
        assertThat(failed(fetcher.fetch("nowhere.example.org", "1"), FetchResult.FailureKind.FETCH_ERROR).reason())
                .contains("no address for mta-sts.nowhere.example.org");
    }

    @Test
    void refusedConnectionIsAFetchError() {
        String domain = "refused" + DOMAINS.incrementAndGet() + ".example.org";
        dns.zone("example.org").a("mta-sts." + domain, "127.0.0.9");
        assertThat(failed(fetcher.fetch(domain, "1"), FetchResult.FailureKind.FETCH_ERROR).reason()).contains("cannot connect");
    }

    @Test
    void nextAddressIsTriedWhenOneRefuses() {
        String domain = "second" + DOMAINS.incrementAndGet() + ".example.org";
        dns.zone("example.org").a("mta-sts." + domain, "127.0.0.9").a("mta-sts." + domain, https.ipAddress());
        https.certificate("mta-sts." + domain, CERTIFICATES.leaf(ca, "mta-sts." + domain));
        https.respond("mta-sts." + domain, "/.well-known/mta-sts.txt", HttpsResponse.policy(POLICY));
        assertThat(fetcher.fetch(domain, "1")).isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    void unreadableCaFileIsRefusedAtStart() {
        StsFetchSettings missing = settings().withExtraCaFiles(List.of(directory.resolve("missing.pem")));
        assertThatThrownBy(() -> new StsPolicyFetcher(missing, resolver, new TestClock(NOW)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
    }
}
