package dev.mta.security.dns;

import dev.mta.testsupport.time.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.dns.TestZone;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Answers are kept as long as their TTLs and signatures allow, on an injected clock. */
class AnswerCachingTest {
    @TempDir
    Path dir;
    private TestDnsServer dns;
    private TestZone zone;
    private TestClock clock;
    private DnsResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.startSigned();
        zone = dns.zone("example.org")
                .mx("example.org", 10, "mx1.example.org")
                .a("mx1.example.org", "127.0.0.2");
        clock = TestClock.now();
        resolver = TestResolvers.validating(dns, dir, clock);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void answerIsServedFromTheCacheUntilItsTtlRunsOut() {
        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.SECURE);
        clock.advance(Duration.ofSeconds(TestZone.TTL - 1));

        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.SECURE);
        assertThat(dns.queryCount("example.org", Type.MX)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.SECURE);
        assertThat(dns.queryCount("example.org", Type.MX)).isEqualTo(2);
    }

    @Test
    void smallestTtlInTheAnswerDecides() throws Exception {
        zone.record(new MXRecord(Name.fromString("example.org."), DClass.IN, 60, 20, Name.fromString("mx2.example.org.")));
        resolver.mx("example.org");

        clock.advance(Duration.ofSeconds(60));
        resolver.mx("example.org");

        assertThat(dns.queryCount("example.org", Type.MX)).isEqualTo(2);
    }

    @Test
    void denialIsCachedForItsSoaMinimum() {
        assertThat(resolver.mx("nowhere.example.org")).isInstanceOf(DnsResult.NxDomain.class);
        zone.mx("nowhere.example.org", 10, "mx1.example.org");

        clock.advance(Duration.ofSeconds(TestZone.TTL - 1));
        assertThat(resolver.mx("nowhere.example.org")).isInstanceOf(DnsResult.NxDomain.class);

        clock.advance(Duration.ofSeconds(1));
        assertThat(resolver.mx("nowhere.example.org")).isInstanceOf(DnsResult.Found.class);
        assertThat(dns.queryCount("nowhere.example.org", Type.MX)).isEqualTo(2);
    }

    @Test
    void signatureThatExpiresBeforeTheTtlShortensTheStay() {
        Instant expiration = clock.instant().plus(Duration.ofSeconds(60)).truncatedTo(ChronoUnit.SECONDS);
        zone.signaturesExpireAt(expiration);
        resolver.mx("example.org");

        clock.advance(Duration.between(clock.instant(), expiration).minusSeconds(1));
        resolver.mx("example.org");
        assertThat(dns.queryCount("example.org", Type.MX)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        resolver.mx("example.org");
        assertThat(dns.queryCount("example.org", Type.MX)).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        // Past the signature's expiry the fresh answer is bogus (RFC 4035 5.3.1).
        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.BOGUS);
    }

    @Test
    void bogusVerdictIsKeptBrieflyOnly() {
        zone.brokenSignature("example.org", Type.MX);
        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.BOGUS);

        clock.advance(AnswerCache.BOGUS_LIFETIME.minusSeconds(1));
        assertThat(resolver.mx("example.org").security()).isEqualTo(DnsSecurity.BOGUS);
        assertThat(dns.queryCount("example.org", Type.MX)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        resolver.mx("example.org");
        assertThat(dns.queryCount("example.org", Type.MX)).isEqualTo(2);
    }

    @Test
    void failureIsNotCached() {
        dns.servfail("example.org", Type.MX);
        assertThat(resolver.mx("example.org")).isInstanceOf(DnsResult.Failed.class);

        dns.clearFaults();

        assertThat(resolver.mx("example.org")).isInstanceOf(DnsResult.Found.class);
        assertThat(dns.queryCount("example.org", Type.MX)).isEqualTo(2);
    }

    @Test
    void eachLinkOfACnameChainIsCachedOnItsOwn() {
        dns.zone("example.com").a("host.example.com", "127.0.0.5");
        zone.cname("alias.example.org", "host.example.com");
        resolver.ipv4("alias.example.org");

        resolver.ipv4("alias.example.org");

        assertThat(dns.queryCount("alias.example.org", Type.A)).isEqualTo(1);
    }

    @Test
    void cacheKeepsAtMostItsCapacityDroppingTheLeastRecentlyUsed() {
        zone.a("mx2.example.org", "127.0.0.3").a("mx3.example.org", "127.0.0.4");
        DnsResolver twoAnswers = DnsjavaResolver.create(TestResolvers.validatingSettings(dns, dir), clock, 2);

        twoAnswers.ipv4("mx1.example.org");
        twoAnswers.ipv4("mx2.example.org");
        twoAnswers.ipv4("mx1.example.org"); // from the cache, and now the most recently used
        twoAnswers.ipv4("mx3.example.org"); // pushes mx2 out
        twoAnswers.ipv4("mx1.example.org");
        twoAnswers.ipv4("mx2.example.org");

        assertThat(dns.queryCount("mx1.example.org", Type.A)).isEqualTo(1);
        assertThat(dns.queryCount("mx2.example.org", Type.A)).isEqualTo(2);
    }
}
