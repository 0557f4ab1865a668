package dev.mta.security.dns;

import dev.mta.testsupport.time.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.dns.TestDnsServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** A slow answer holds up only the lookup waiting for it. */
class ParallelLookupTest {
    private static final Duration SLOW = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private TestDnsServer dns;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.startSigned();
        dns.zone("example.org")
                .mx("example.org", 10, "mx1.example.org")
                .mx("slow.example.org", 10, "mx1.example.org");
        dns.delay("slow.example.org", Type.MX, SLOW);
    }

    @AfterEach
    void stop() {
        threads.close();
        dns.close();
    }

    @Test
    void validatingLookupIsAnsweredWhileAnotherWaitsForASlowServer() throws Exception {
        assertNotHeldUp(TestResolvers.validating(dns, dir, TestClock.now()));
    }

    @Test
    void plainLookupIsAnsweredWhileAnotherWaitsForASlowServer() throws Exception {
        assertNotHeldUp(TestResolvers.against(dns));
    }

    private void assertNotHeldUp(DnsResolver resolver) throws Exception {
        CompletableFuture<DnsResult<MxRecord>> slow = CompletableFuture.supplyAsync(() -> resolver.mx("slow.example.org"), threads);
        awaitQuery("slow.example.org");

        long start = System.nanoTime();
        DnsResult<MxRecord> fast = resolver.mx("example.org");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(fast).isInstanceOf(DnsResult.Found.class);
        assertThat(took).isLessThan(SLOW.dividedBy(2));
        assertThat(slow).isNotDone();
        assertThat(slow.get()).isEqualTo(new DnsResult.Found<>(List.of(new MxRecord(10, "mx1.example.org")),
                fast.security()));
    }

    /** Until the server has the slow question: only then is the other lookup asked alongside it. */
    private void awaitQuery(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (dns.queryCount(name, Type.MX) == 0) {
            assertThat(System.nanoTime()).as("the slow query reached the server").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
