package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.TestRelay;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.tls.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics after known traffic: each delivery counted once, by outcome and TLS mode, and its TLS session. */
class MetricsAfterTrafficTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void deliveriesAreCountedByOutcomeAndTlsMode() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer withTls = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org")
                        .startTls(TestCertificates.ec().selfSignedLeaf("mx.example.org").serverSslContext()).start();
                SmtpSinkServer clearText = SmtpSinkServer.builder().address("127.0.0.3").port(withTls.port())
                        .hostName("mx.example.net").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            dns.zone("example.net").mx("example.net", 10, "mx.example.net").a("mx.example.net", "127.0.0.3");
            withTls.replyToRecipient("nobody@example.org", 550, "5.1.1 no such user");
            try (TestRelay relay = TestRelay.in(dir)
                    .deliveringThrough(dns.port(), withTls.port())
                    // each message its own connection, so each is its own TLS session
                    .option("delivery.max-messages-per-connection", "1")
                    .start()) {
                submit(relay, "bob@example.org");
                submit(relay, "nobody@example.org");
                submit(relay, "carol@example.net");
                withTls.awaitMessages(1, WAIT);
                clearText.awaitMessages(1, WAIT);

                List<String> expected = List.of(
                        "mta_delivery_recipients_total{outcome=\"delivered\",tls=\"encrypted\"} 1.0",
                        "mta_delivery_recipients_total{outcome=\"bounced\",tls=\"encrypted\"} 1.0",
                        "mta_delivery_recipients_total{outcome=\"delivered\",tls=\"none\"} 1.0",
                        "mta_tls_sessions_total{policy=\"no-policy-found\",result=\"success\"} 2.0",
                        "mta_tls_sessions_total{policy=\"no-policy-found\",result=\"starttls-not-supported\"} 1.0",
                        "mta_delivery_delay_seconds_count{outcome=\"delivered\"} 2",
                        "mta_delivery_attempts_in_flight 0.0",
                        "mta_queue_messages ");
                // The counts settle a moment after the receivers have the mail.
                String metrics = scrapeWhen(relay, m -> expected.stream().allMatch(m::contains));
                assertThat(metrics).contains(expected);
            }
        }
    }

    private static String scrapeWhen(TestRelay relay, java.util.function.Predicate<String> ready) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + relay.adminAddress().getPort() + "/metrics");
        long deadline = System.nanoTime() + WAIT.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            body = response.body();
            if (ready.test(body)) {
                return body;
            }
            Thread.sleep(50);
        }
        return body;
    }

    private static void submit(TestRelay relay, String recipient) throws Exception {
        relay.submit(recipient, "Subject: counted\r\n\r\nx\r\n");
    }
}
