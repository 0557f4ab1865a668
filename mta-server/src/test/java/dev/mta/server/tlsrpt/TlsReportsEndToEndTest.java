package dev.mta.server.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.https.HttpsResponse;
import dev.mta.testsupport.https.ReceivedRequest;
import dev.mta.testsupport.https.TestHttpsServer;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.time.TestClock;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import dev.mta.testsupport.tlsrpt.ReportSchema;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8460 through the whole relay: a day of real sessions (SMTP with and without STARTTLS),
 * then the daily send: a report mailed through the relay's own queue to the mailto rua's MX, and
 * a report POSTed to an https rua; both validate against the RFC 8460 4.4 schema.
 */
class TlsReportsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant MORNING = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aDayOfSessionsIsReportedByMailThroughTheQueueAndByHttps() throws Exception {
        TestCertificates certificates = TestCertificates.ec();
        CertifiedKey ca = certificates.ca("Lab CA");
        Path caFile = Files.writeString(dir.resolve("lab-ca.pem"), ca.certificateChainPem());
        TestClock clock = new TestClock(MORNING);
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer withTls = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org")
                        .startTls(certificates.leaf(ca, "mx.example.org").serverSslContext()).start();
                SmtpSinkServer clearText = SmtpSinkServer.builder().address("127.0.0.3").port(withTls.port())
                        .hostName("mx.example.net").start();
                SmtpSinkServer reports = SmtpSinkServer.builder().address("127.0.0.4").port(withTls.port())
                        .hostName("mx.reports.example").start();
                TestHttpsServer collector = TestHttpsServer.start(InetAddress.getLoopbackAddress(),
                        certificates.leaf(ca, "localhost"))) {
            collector.respond("localhost", "/v1/tlsrpt", HttpsResponse.status(201));
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2")
                    .txt("_smtp._tls.example.org", "v=TLSRPTv1; rua=mailto:tlsrpt@reports.example");
            dns.zone("example.net").mx("example.net", 10, "mx.example.net").a("mx.example.net", "127.0.0.3")
                    .txt("_smtp._tls.example.net", "v=TLSRPTv1; rua=https://localhost:" + collector.port() + "/v1/tlsrpt");
            dns.zone("reports.example").mx("reports.example", 10, "mx.reports.example").a("mx.reports.example", "127.0.0.4");
            try (TestRelay relay = TestRelay.in(dir).clock(clock)
                    .option("smtp.listeners.submission.enabled", "false")
                    .option("smtp.listeners.submissions.enabled", "false")
                    .deliveringThrough(dns.port(), withTls.port())
                    .option("delivery.tls-ca-file", "\"" + caFile + "\"")
                    .option("delivery.tls-reports.enabled", "true")
                    .option("delivery.tls-reports.organization", "\"Relay Org\"")
                    .option("delivery.tls-reports.contact", "\"tlsrpt@relay.test\"")
                    .start()) {
                submit(relay, "bob@example.org");
                submit(relay, "carol@example.net");
                assertThat(withTls.awaitMessages(1, WAIT).getFirst().tls()).isPresent();
                assertThat(clearText.awaitMessages(1, WAIT).getFirst().tls()).isEmpty();
                // An attempt ends, and its session is counted, once its connection is closed after QUIT.
                awaitEmptyQueue(relay);

                assertThat(relay.delivery().tlsReports().sendDue()).as("the day is not over").isEmpty();
                clock.set(Instant.parse("2026-11-24T01:30:00Z")); // a day and the 1h send delay later
                List<DispatchOutcome> sent = relay.delivery().tlsReports().sendDue();
                assertThat(sent).hasSize(2).allMatch(o -> o instanceof DispatchOutcome.Sent);

                // By mail (RFC 8460 5.3), through the relay's own queue to the rua's MX.
                ReceivedMessage mailed = reports.awaitMessages(1, WAIT).getFirst();
                assertThat(mailed.mailFrom()).isEqualTo("tlsrpt@relay.test");
                assertThat(mailed.recipients()).containsExactly("tlsrpt@reports.example");
                String text = mailed.dataAsString();
                assertThat(text).contains("report-type=\"tlsrpt\"").contains("TLS-Report-Domain: example.org")
                        .contains("TLS-Report-Submitter: relay.test").contains("TLS-Required: No");
                JsonNode byMail = validReport(gzipAttachment(text));
                assertThat(byMail.at("/organization-name").asText()).isEqualTo("Relay Org");
                assertThat(byMail.at("/date-range/start-datetime").asText()).isEqualTo("2026-11-23T00:00:00Z");
                JsonNode orgPolicy = byMail.at("/policies/0");
                assertThat(orgPolicy.at("/policy/policy-type").asText()).isEqualTo("no-policy-found");
                assertThat(orgPolicy.at("/policy/policy-domain").asText()).isEqualTo("example.org");
                assertThat(orgPolicy.at("/summary/total-successful-session-count").asLong()).isEqualTo(1);
                assertThat(orgPolicy.at("/summary/total-failure-session-count").asLong()).isZero();

                // By HTTPS (RFC 8460 5.4).
                ReceivedRequest posted = collector.requests().stream().filter(r -> r.method().equals("POST"))
                        .findFirst().orElseThrow();
                assertThat(posted.contentType()).contains("application/tlsrpt+gzip");
                JsonNode byHttps = validReport(posted.body());
                JsonNode netPolicy = byHttps.at("/policies/0");
                assertThat(netPolicy.at("/policy/policy-domain").asText()).isEqualTo("example.net");
                assertThat(netPolicy.at("/summary/total-failure-session-count").asLong()).isEqualTo(1);
                assertThat(netPolicy.at("/failure-details/0/result-type").asText()).isEqualTo("starttls-not-supported");
                assertThat(netPolicy.at("/failure-details/0/receiving-mx-hostname").asText()).isEqualTo("mx.example.net");
                assertThat(netPolicy.at("/failure-details/0/receiving-ip").asText()).isEqualTo("127.0.0.3");

                // Sent reports are forgotten: nothing is due twice.
                assertThat(relay.delivery().tlsReports().sendDue()).isEmpty();
            }
        }
    }

    private static void awaitEmptyQueue(TestRelay relay) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!relay.queued().isEmpty()) {
            assertThat(System.nanoTime()).as("both messages settled").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static JsonNode validReport(byte[] gzipped) {
        byte[] json = ReportSchema.gunzip(gzipped);
        assertThat(ReportSchema.problems(json)).as(new String(json)).isEmpty();
        return ReportSchema.parse(json);
    }

    private static byte[] gzipAttachment(String message) {
        Matcher part = Pattern.compile("Content-Type: application/tlsrpt\\+gzip\r\n(?:.+\r\n(?: .+\r\n)*)*\r\n([A-Za-z0-9+/=\r\n]+?)\r\n\r\n--")
                .matcher(message);
        assertThat(part.find()).as(message).isTrue();
        return Base64.getMimeDecoder().decode(part.group(1));
    }

    private static void submit(TestRelay relay, String recipient) throws Exception {
        relay.submit(recipient, "Subject: a session to count\r\n\r\nHello.\r\n");
    }
}
