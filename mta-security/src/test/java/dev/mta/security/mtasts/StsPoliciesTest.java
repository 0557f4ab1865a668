package dev.mta.security.mtasts;

import dev.mta.testsupport.time.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.security.dns.DnsResult;
import dev.mta.security.dns.DnsSecurity;
import dev.mta.security.dns.DnsSettings;
import dev.mta.security.dns.DnsjavaResolver;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.https.HttpsResponse;
import dev.mta.testsupport.https.TestHttpsServer;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8461 5.1: the cache, with policies fetched over real HTTPS and an injected clock. The TXT
 * answers come from a map the tests change (the in-process DNS server cannot remove a record);
 * one test goes through the real DNS server end to end.
 */
class StsPoliciesTest {
    private static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mx.example.org\nmax_age: 86400\n";
    private static final String TESTING = "version: STSv1\nmode: testing\nmx: *.example.org\nmax_age: 86400\n";
    private static final String NONE = "version: STSv1\nmode: none\nmax_age: 86400\n";
    private static final TestCertificates CERTIFICATES = TestCertificates.ec();
    private static final AtomicInteger DOMAINS = new AtomicInteger();

    @TempDir
    static Path directory;
    private static CertifiedKey ca;
    private static TestDnsServer dns;
    private static TestHttpsServer https;
    private static DnsjavaResolver resolver;
    private static StsFetchSettings settings;

    private final Map<String, List<String>> txtRecords = new ConcurrentHashMap<>();
    private final TxtLookup txt = name -> {
        List<String> records = txtRecords.get(name);
        return records == null ? new DnsResult.NxDomain<>(DnsSecurity.INSECURE)
                : new DnsResult.Found<>(records.stream().map(List::of).toList(), DnsSecurity.INSECURE);
    };
    private TestClock clock;
    private StsPolicyFetcher fetcher;
    private InMemoryStsPolicyStore store;
    private StsPolicies policies;
    private String domain;

    @BeforeAll
    static void start() throws Exception {
        ca = CERTIFICATES.ca("MTA-STS Test CA");
        Path caFile = Files.writeString(directory.resolve("ca.pem"), ca.certificateChainPem());
        dns = TestDnsServer.start();
        dns.zone("example.org");
        https = TestHttpsServer.start(CERTIFICATES.leaf(ca, "default.example.org"));
        resolver = DnsjavaResolver.create(new DnsSettings(List.of(dns.address()), Duration.ofSeconds(2), 1));
        settings = StsFetchSettings.defaults().withExtraCaFiles(List.of(caFile)).withPort(https.port());
    }

    @AfterAll
    static void stop() {
        https.close();
        dns.close();
    }

    @BeforeEach
    void newDomain() {
        clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
        fetcher = new StsPolicyFetcher(settings, resolver, clock);
        store = new InMemoryStsPolicyStore();
        policies = new StsPolicies(txt, fetcher, store, clock);
        domain = "c" + DOMAINS.incrementAndGet() + ".example.org";
        dns.zone("example.org").a(host(), https.ipAddress());
        https.certificate(host(), CERTIFICATES.leaf(ca, host()));
    }

    @AfterEach
    void closeFetcher() {
        fetcher.close();
    }

    private String host() {
        return "mta-sts." + domain;
    }

    private void announce(String... records) {
        txtRecords.put("_mta-sts." + domain, List.of(records));
    }

    private void serve(HttpsResponse response) {
        https.respond(host(), "/.well-known/mta-sts.txt", response);
    }

    private long fetches() {
        return https.requests().stream().filter(request -> request.host().equals(host())).count();
    }

    private StsPolicy inForce(StsLookup lookup) {
        assertThat(lookup).isInstanceOf(StsLookup.InForce.class);
        return ((StsLookup.InForce) lookup).policy();
    }

    @Test
    void noTxtRecordAndNothingCachedIsNoPolicy() {
        assertThat(policies.policyFor(domain)).isInstanceOf(StsLookup.NoPolicy.class);
        assertThat(fetches()).isZero();
    }

    @Test
    void announcedPolicyIsFetchedAndStored() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        StsLookup lookup = policies.policyFor(domain);
        assertThat(inForce(lookup).mode()).isEqualTo(StsMode.ENFORCE);
        assertThat(lookup.protection()).isPresent();
        assertThat(store.load(domain)).contains(inForce(lookup));
        assertThat(inForce(lookup).id()).isEqualTo("1");
    }

    @Test
    void sameIdUsesTheCachedPolicyWithoutFetching() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        serve(HttpsResponse.policy(TESTING));
        clock.advance(Duration.ofHours(23));
        assertThat(inForce(policies.policyFor(domain)).mode()).isEqualTo(StsMode.ENFORCE);
        assertThat(fetches()).isEqualTo(1);
    }

    @Test
    void changedIdTriggersAFetch() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        announce("v=STSv1; id=2");
        serve(HttpsResponse.policy(TESTING));
        StsPolicy policy = inForce(policies.policyFor(domain));
        assertThat(policy.mode()).isEqualTo(StsMode.TESTING);
        assertThat(policy.id()).isEqualTo("2");
        assertThat(fetches()).isEqualTo(2);
    }

    @Test
    void failedRefreshKeepsTheCachedPolicyAndReportsTheFailure() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        announce("v=STSv1; id=2");
        serve(HttpsResponse.status(500));
        StsLookup lookup = policies.policyFor(domain);
        assertThat(inForce(lookup).id()).isEqualTo("1");
        assertThat(((StsLookup.InForce) lookup).refreshFailure()).get()
                .extracting(FetchResult.Failed::kind).isEqualTo(FetchResult.FailureKind.FETCH_ERROR);
    }

    @Test
    void invalidNewPolicyKeepsTheCachedOne() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        announce("v=STSv1; id=2");
        serve(HttpsResponse.policy("version: STSv1\nmode: enforce\nmax_age: 60\n"));
        StsLookup lookup = policies.policyFor(domain);
        assertThat(inForce(lookup).id()).isEqualTo("1");
        assertThat(((StsLookup.InForce) lookup).refreshFailure().orElseThrow().kind())
                .isEqualTo(FetchResult.FailureKind.POLICY_INVALID);
    }

    @Test
    void failedFetchWithNothingCachedIsUnavailable() {
        announce("v=STSv1; id=1");
        StsLookup lookup = policies.policyFor(domain); // 404: nothing served
        assertThat(lookup).isInstanceOf(StsLookup.Unavailable.class);
        assertThat(lookup.protection()).isEmpty();
        assertThat(store.load(domain)).isEmpty();
    }

    @Test
    void aFailedFetchIsNotRepeatedForFiveMinutesThenTriedAgain() {
        announce("v=STSv1; id=1");
        assertThat(policies.policyFor(domain)).isInstanceOf(StsLookup.Unavailable.class);
        serve(HttpsResponse.policy(ENFORCE));
        clock.advance(StsPolicies.RETRY_AFTER_FAILURE.minusSeconds(1));
        assertThat(policies.policyFor(domain)).isInstanceOf(StsLookup.Unavailable.class);
        assertThat(fetches()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(inForce(policies.policyFor(domain)).mode()).isEqualTo(StsMode.ENFORCE);
        assertThat(fetches()).isEqualTo(2);
    }

    @Test
    void aNewIdIsFetchedAtOnceEvenRightAfterAFailure() {
        announce("v=STSv1; id=1");
        policies.policyFor(domain);
        announce("v=STSv1; id=2");
        serve(HttpsResponse.policy(ENFORCE));
        assertThat(inForce(policies.policyFor(domain)).id()).isEqualTo("2");
    }

    @Test
    void cachedPolicyIsDroppedAfterMaxAge() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        txtRecords.clear();
        clock.advance(Duration.ofDays(1));
        assertThat(policies.policyFor(domain)).isInstanceOf(StsLookup.NoPolicy.class);
        assertThat(store.load(domain)).isEmpty();
    }

    @Test
    void expiredPolicyWithFailingRefreshIsUnavailable() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        serve(HttpsResponse.status(503));
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(policies.policyFor(domain)).isInstanceOf(StsLookup.Unavailable.class);
    }

    @Test
    void vanishedTxtRecordDoesNotWithdrawTheCachedPolicy() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        txtRecords.clear();
        assertThat(inForce(policies.policyFor(domain)).mode()).isEqualTo(StsMode.ENFORCE);
    }

    @Test
    void twoTxtRecordsDoNotWithdrawTheCachedPolicyNorTriggerAFetch() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        announce("v=STSv1; id=2", "v=STSv1; id=3");
        assertThat(inForce(policies.policyFor(domain)).id()).isEqualTo("1");
        assertThat(fetches()).isEqualTo(1);
    }

    @Test
    void twoTxtRecordsAndNothingCachedIsNoPolicy() {
        announce("v=STSv1; id=2", "v=STSv1; id=3");
        serve(HttpsResponse.policy(ENFORCE));
        assertThat(policies.policyFor(domain)).isInstanceOf(StsLookup.NoPolicy.class);
        assertThat(fetches()).isZero();
    }

    @Test
    void fetchedModeNoneReplacesTheCachedPolicy() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        announce("v=STSv1; id=2");
        serve(HttpsResponse.policy(NONE));
        StsLookup lookup = policies.policyFor(domain);
        assertThat(inForce(lookup).mode()).isEqualTo(StsMode.NONE);
        assertThat(lookup.protection()).isEmpty();
        assertThat(store.load(domain).orElseThrow().mode()).isEqualTo(StsMode.NONE);
    }

    @Test
    void policiesSurviveARestartThroughTheStore() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        StsPolicies restarted = new StsPolicies(txt, fetcher, store, clock);
        assertThat(inForce(restarted.policyFor(domain)).mode()).isEqualTo(StsMode.ENFORCE);
        assertThat(fetches()).isEqualTo(1);
    }

    @Test
    void domainIsNormalised() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain.toUpperCase() + ".");
        assertThat(store.load(domain)).isPresent();
    }

    @Test
    void refreshFetchesPoliciesExpiringBeforeTheCutoff() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        clock.advance(Duration.ofHours(20));
        serve(HttpsResponse.policy(TESTING));
        assertThat(policies.refreshDueBefore(clock.instant().plus(Duration.ofHours(1)))).isEmpty();
        Map<String, FetchResult> outcomes = policies.refreshDueBefore(clock.instant().plus(Duration.ofHours(6)));
        assertThat(outcomes).containsOnlyKeys(domain);
        StsPolicy refreshed = store.load(domain).orElseThrow();
        assertThat(refreshed.mode()).isEqualTo(StsMode.TESTING);
        assertThat(refreshed.fetchedAt()).isEqualTo(clock.instant());
    }

    @Test
    void refreshWithoutTxtRecordKeepsTheCachedId() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        txtRecords.clear();
        clock.advance(Duration.ofHours(20));
        policies.refreshDueBefore(clock.instant().plus(Duration.ofDays(1)));
        assertThat(store.load(domain).orElseThrow().id()).isEqualTo("1");
        assertThat(store.load(domain).orElseThrow().fetchedAt()).isEqualTo(clock.instant());
    }

    @Test
    void failedRefreshKeepsTheCachedPolicy() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        StsPolicy first = inForce(policies.policyFor(domain));
        serve(HttpsResponse.status(500));
        clock.advance(Duration.ofHours(20));
        Map<String, FetchResult> outcomes = policies.refreshDueBefore(clock.instant().plus(Duration.ofDays(1)));
        assertThat(outcomes.get(domain)).isInstanceOf(FetchResult.Failed.class);
        assertThat(store.load(domain)).contains(first);
    }

    @Test
    void refreshDropsExpiredPolicies() {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE));
        policies.policyFor(domain);
        clock.advance(Duration.ofDays(2));
        assertThat(policies.refreshDueBefore(clock.instant())).isEmpty();
        assertThat(store.load(domain)).isEmpty();
        assertThat(fetches()).isEqualTo(1);
    }

    @Test
    void concurrentLookupsShareOneFetch() throws Exception {
        announce("v=STSv1; id=1");
        serve(HttpsResponse.policy(ENFORCE).delayedBy(Duration.ofMillis(300)));
        List<Thread> threads = new java.util.ArrayList<>();
        List<StsLookup> lookups = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofVirtual().start(() -> lookups.add(policies.policyFor(domain))));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(lookups).hasSize(8).allSatisfy(lookup -> assertThat(inForce(lookup).mode()).isEqualTo(StsMode.ENFORCE));
        assertThat(fetches()).isEqualTo(1);
    }

    @Test
    void endToEndThroughTheDnsServer() {
        dns.zone("example.org").txt("_mta-sts." + domain, "v=STSv1; ", "id=e2e");
        serve(HttpsResponse.policy(ENFORCE));
        StsPolicies real = new StsPolicies(DnsjavaTxtLookup.create(new DnsSettings(List.of(dns.address()),
                Duration.ofSeconds(2), 1)), fetcher, store, clock);
        assertThat(inForce(real.policyFor(domain)).id()).isEqualTo("e2e");
        assertThat(inForce(real.policyFor(domain)).permits("MX.example.org")).isTrue();
        assertThat(fetches()).isEqualTo(1);
        assertThat(Optional.of(store.load(domain).orElseThrow().mx())).contains(List.of("mx.example.org"));
    }
}
