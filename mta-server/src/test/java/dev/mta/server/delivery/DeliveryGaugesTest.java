package dev.mta.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.RecipientState;
import dev.mta.server.Scrapes;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.time.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gauges and DNS counts of issue 7 after known traffic: oldest deferred, connections, DNS lookups, MTA-STS cache. */
class DeliveryGaugesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void oldestDeferredConnectionsAndDnsLookupsAreExported() throws Exception {
        TestClock clock = TestClock.now();
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer mx = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            mx.replyToRecipient("later@example.org", 451, "4.3.2 try later");
            try (TestRelay relay = TestRelay.in(dir).clock(clock)
                    .deliveringThrough(dns.port(), mx.port())
                    .start()) {
                relay.submit("later@example.org", "Subject: waits\r\n\r\nx\r\n");
                relay.submit("now@example.org", "Subject: goes\r\n\r\nx\r\n");
                mx.awaitMessages(1, WAIT);
                awaitDeferred(relay);

                // Ten minutes on (the queue gauges are re-read every 15 s of the relay's clock).
                clock.advance(Duration.ofMinutes(10));
                String metrics = Scrapes.when(relay, m -> m.contains("mta_queue_oldest_deferred_seconds 600.0")
                        && m.contains("mta_delivery_connections{state=\"in-use\"} 0.0"));

                assertThat(metrics).contains("mta_queue_oldest_deferred_seconds 600.0");
                assertThat(metrics).contains("mta_delivery_connections{state=\"in-use\"} 0.0");
                assertThat(Scrapes.value(metrics, "mta_delivery_connections{state=\"idle\"}")).isBetween(0.0, 2.0); // kept for reuse, one per message at most
                assertThat(metrics).contains("mta_sts_policies_cached 0.0");
                // Both messages looked up example.org's MX: once from the server, maybe once from the cache.
                double mxLookups = Scrapes.value(metrics, "mta_dns_lookups_total{cache=\"miss\",dnssec=\"insecure\",rcode=\"NOERROR\",type=\"MX\"}");
                assertThat(mxLookups).isGreaterThanOrEqualTo(1.0);
                assertThat(metrics).containsPattern("mta_dns_lookups_total\\{cache=\"(hit|miss)\",dnssec=\"insecure\",rcode=\"NOERROR\",type=\"A\"}");
                assertThat(metrics).contains("netty_allocator_memory_used");
            }
        }
    }

    private static void awaitDeferred(TestRelay relay) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (relay.queued().stream().flatMap(m -> m.recipients().stream())
                .noneMatch(r -> r.state() == RecipientState.DEFERRED)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing deferred: " + relay.queued());
            }
            Thread.sleep(20);
        }
    }
}
