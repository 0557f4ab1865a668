package dev.mta.server.tlsrpt;

import static dev.mta.server.tlsrpt.ReportFixtures.DAY;
import static dev.mta.server.tlsrpt.ReportFixtures.DOMAIN;
import static dev.mta.server.tlsrpt.ReportFixtures.DUE;
import static dev.mta.server.tlsrpt.ReportFixtures.DURING_THE_DAY;
import static dev.mta.server.tlsrpt.ReportFixtures.EVERY_FIELD;
import static dev.mta.server.tlsrpt.ReportFixtures.NEXT_MORNING;
import static dev.mta.server.tlsrpt.ReportFixtures.REPORT;
import static dev.mta.server.tlsrpt.ReportFixtures.STS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import dev.mta.security.dns.DnsSettings;
import dev.mta.security.mtasts.DnsjavaTxtLookup;
import dev.mta.security.tlsrpt.AppliedPolicy;
import dev.mta.security.tlsrpt.ReportKey;
import dev.mta.security.tlsrpt.SessionOutcome;
import dev.mta.security.tlsrpt.TlsRptHttpsSender;
import dev.mta.security.tlsrpt.TlsRptRecorder;
import dev.mta.security.tlsrpt.TlsRptScheduler;
import dev.mta.security.tlsrpt.TlsRptSettings;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.tls.CaChain;
import dev.mta.testsupport.tls.TestCertificates;
import dev.mta.testsupport.tls.TestTlsContexts;
import dev.mta.testsupport.time.TestClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sending the day's reports (RFC 8460 3, 5): the record looked up on a DNS server on loopback,
 * mail queued in an H2 queue, POSTs to an HTTPS collector with a certificate made for the test.
 */
class TlsRptDispatcherTest {
    private static final CaChain CHAIN = TestCertificates.ec().caChain("localhost");
    private static final String RECORD_NAME = "_smtp._tls.example.net";
    private static final String PATH = "/v1/tlsrpt";
    private static final Instant WINDOW_ENDS = Instant.parse("2026-11-24T01:00:00Z");

    /** What the collector received. */
    record Post(String method, String contentType, byte[] json) {
    }

    private final TlsRptSettings settings = ReportFixtures.settings();
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private volatile int status = 201;

    @TempDir
    Path data;

    private H2MessageStore queue;
    private TestDnsServer dns;
    private HttpsServer collector;
    private StoredTlsRptStore counts;
    private TlsRptScheduler scheduler;
    private TlsRptDispatcher dispatcher;
    private byte[] reportJson;

    @BeforeEach
    void setUp() throws Exception {
        queue = H2MessageStore.open(H2StoreSettings.defaults(data));
        dns = TestDnsServer.start();
        dns.zone("example.net");
        collector = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.setHttpsConfigurator(new HttpsConfigurator(TestTlsContexts.server(CHAIN.leaf())));
        collector.createContext(PATH, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            posts.add(new Post(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    gunzip(body)));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        collector.start();

        counts = StoredTlsRptStore.open(queue.records(), new TestClock(DURING_THE_DAY));
        TlsRptRecorder recorder = new TlsRptRecorder(counts, settings, new TestClock(DURING_THE_DAY));
        recorder.record(SessionOutcome.success(STS));
        recorder.record(SessionOutcome.success(STS));
        recorder.record(SessionOutcome.failure(STS, EVERY_FIELD));
        counts.flush();
        scheduler = new TlsRptScheduler(counts, settings);
        reportJson = scheduler.reportsDue(DUE).getFirst().json();
        dispatcher = dispatcherTrusting(CHAIN);
    }

    @AfterEach
    void tearDown() {
        collector.stop(0);
        dns.close();
        queue.close();
    }

    private TlsRptDispatcher dispatcherTrusting(CaChain chain) {
        SSLContext trusting = TestTlsContexts.clientTrusting(chain.root().certificate());
        return new TlsRptDispatcher(scheduler,
                DnsjavaTxtLookup.create(new DnsSettings(List.of(dns.address()), Duration.ofSeconds(2), 1)),
                new TlsRptHttpsSender(trusting, Duration.ofSeconds(5)), queue, "mta.example.org",
                TlsRptDispatcher.retryWindow(settings));
    }

    private String collectorUri() {
        return "https://localhost:" + collector.getAddress().getPort() + PATH;
    }

    @Test
    void aMailedReportIsQueuedOnceToEveryMailtoRecipient() throws Exception {
        // RFC 8460 3: a record in several character-strings is read as their concatenation
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1;", "rua=mailto:tlsrpt@example.net,mailto:reports@collector.example");

        List<DispatchOutcome> outcomes = dispatcher.runOnce(NEXT_MORNING);

        assertThat(outcomes).singleElement().isInstanceOf(DispatchOutcome.Sent.class)
                .extracting(DispatchOutcome::report).isEqualTo(REPORT);
        List<MessageSummary> queued = queue.list();
        assertThat(queued).hasSize(1);
        MessageDetail detail = queue.find(queued.getFirst().id()).orElseThrow();
        Envelope envelope = detail.envelope();
        assertThat(envelope.sender()).isEqualTo("tlsrpt@mta.example.org");
        assertThat(envelope.recipients()).extracting(EnvelopeRecipient::address)
                .containsExactly("tlsrpt@example.net", "reports@collector.example");
        assertThat(envelope.origin()).isEqualTo(Envelope.Origin.TLS_REPORT);
        assertThat(envelope.bodyType()).isEqualTo(Envelope.BodyType.SEVEN_BIT);
        assertThat(envelope.requireTls()).isFalse();
        assertThat(envelope.dsnReturn()).contains(Envelope.DsnReturn.HDRS);
        assertThat(envelope.receivedAt()).isEqualTo(NEXT_MORNING);

        Message message;
        try (InputStream body = queue.openBody(detail.id())) {
            message = new DefaultMessageBuilder().parseMessage(body);
        }
        assertThat(message.getMimeType()).isEqualTo("multipart/report");
        assertThat(((ContentTypeField) message.getHeader().getField("Content-Type")).getParameter("report-type"))
                .isEqualTo("tlsrpt");
        // RFC 8460 5.3 with RFC 8689 5: the report is delivered even where TLS to the domain fails
        assertThat(message.getHeader().getField("TLS-Required").getBody()).isEqualTo("No");
        assertThat(message.getHeader().getField("TLS-Report-Domain").getBody()).isEqualTo(DOMAIN);
        Entity attachment = ((Multipart) message.getBody()).getBodyParts().get(1);
        assertThat(attachment.getMimeType()).isEqualTo("application/tlsrpt+gzip");
        try (InputStream gzipped = ((SingleBody) attachment.getBody()).getInputStream()) {
            assertThat(gunzip(gzipped.readAllBytes())).isEqualTo(reportJson);
        }

        // sent: forgotten, on disk too, and not sent again
        assertThat(counts.reportKeys()).isEmpty();
        assertThat(queue.records().all(StoredTlsRptStore.KIND)).isEmpty();
        assertThat(dispatcher.runOnce(NEXT_MORNING.plus(Duration.ofMinutes(10)))).isEmpty();
        assertThat(queue.list()).hasSize(1);
    }

    @Test
    void aMailboxWithNonAsciiCharactersIsQueuedWithSmtpUtf8() throws Exception {
        // RFC 8460 3 rua URIs are percent-encoded (RFC 6068); RFC 6531 3.4 needs SMTPUTF8 for the decoded mailbox
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1; rua=mailto:j%C3%B6rg@example.net");

        assertThat(dispatcher.runOnce(NEXT_MORNING)).singleElement().isInstanceOf(DispatchOutcome.Sent.class);

        Envelope envelope = queue.find(queue.list().getFirst().id()).orElseThrow().envelope();
        assertThat(envelope.recipients()).extracting(EnvelopeRecipient::address).containsExactly("j\u00f6rg@example.net");
        assertThat(envelope.smtpUtf8()).isTrue();
    }

    @Test
    void anAsciiReportIsQueuedWithoutSmtpUtf8() throws Exception {
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1; rua=mailto:tlsrpt@example.net");

        dispatcher.runOnce(NEXT_MORNING);

        assertThat(queue.find(queue.list().getFirst().id()).orElseThrow().envelope().smtpUtf8()).isFalse();
    }

    @Test
    void anHttpsCollectorGetsTheGzippedReport() throws Exception {
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1; rua=" + collectorUri());

        List<DispatchOutcome> outcomes = dispatcher.runOnce(NEXT_MORNING);

        assertThat(outcomes).containsExactly(new DispatchOutcome.Sent(REPORT, List.of(collectorUri() + " accepted (201)")));
        assertThat(posts).singleElement().satisfies(post -> {
            assertThat(post.method()).isEqualTo("POST");
            // RFC 8460 5.4 with 5.2
            assertThat(post.contentType()).isEqualTo("application/tlsrpt+gzip");
            assertThat(post.json()).isEqualTo(reportJson);
        });
        assertThat(queue.list()).isEmpty();
        assertThat(counts.reportKeys()).isEmpty();
    }

    @Test
    void aRecordWithBothSchemesGetsAMailAndAPost() throws Exception {
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1; rua=" + collectorUri() + ",mailto:tlsrpt@example.net");

        DispatchOutcome outcome = dispatcher.runOnce(NEXT_MORNING).getFirst();

        assertThat(outcome).isInstanceOf(DispatchOutcome.Sent.class);
        assertThat(((DispatchOutcome.Sent) outcome).transports()).hasSize(2);
        assertThat(posts).hasSize(1);
        assertThat(queue.list()).hasSize(1);
    }

    @Test
    void aDomainWithoutARecordGetsNoReportAndItsCountsAreForgotten() throws Exception {
        List<DispatchOutcome> outcomes = dispatcher.runOnce(NEXT_MORNING);

        assertThat(outcomes).containsExactly(new DispatchOutcome.NoRecord(REPORT));
        assertThat(dns.queryCount(RECORD_NAME, org.xbill.DNS.Type.TXT)).isEqualTo(1);
        assertThat(queue.list()).isEmpty();
        assertThat(posts).isEmpty();
        assertThat(counts.reportKeys()).isEmpty();
        assertThat(queue.records().all(StoredTlsRptStore.KIND)).isEmpty();
    }

    @Test
    void twoVersionedRecordsMeanTheDomainDoesNotReport() throws Exception {
        // RFC 8460 3: unless exactly one record starts with the version, there is no reporting
        dns.zone("example.net")
                .txt(RECORD_NAME, "v=TLSRPTv1; rua=mailto:a@example.net")
                .txt(RECORD_NAME, "v=TLSRPTv1; rua=mailto:b@example.net");

        assertThat(dispatcher.runOnce(NEXT_MORNING)).containsExactly(new DispatchOutcome.NoRecord(REPORT));
        assertThat(queue.list()).isEmpty();
    }

    @Test
    void aFailedLookupKeepsTheReportForTheNextRun() throws Exception {
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1; rua=mailto:tlsrpt@example.net");
        dns.servfail(RECORD_NAME);

        assertThat(dispatcher.runOnce(NEXT_MORNING)).singleElement().isInstanceOf(DispatchOutcome.Deferred.class);
        assertThat(counts.reportKeys()).containsExactly(REPORT);
        assertThat(queue.records().all(StoredTlsRptStore.KIND)).hasSize(1);
        assertThat(queue.list()).isEmpty();

        dns.clearFaults();
        assertThat(dispatcher.runOnce(NEXT_MORNING.plus(Duration.ofMinutes(10))))
                .singleElement().isInstanceOf(DispatchOutcome.Sent.class);
        assertThat(queue.list()).hasSize(1);
    }

    @Test
    void aLookupStillFailingAtTheEndOfTheRetryWindowGivesTheReportUp() throws Exception {
        dns.servfail(RECORD_NAME);

        assertThat(dispatcher.runOnce(WINDOW_ENDS.minusSeconds(1))).singleElement().isInstanceOf(DispatchOutcome.Deferred.class);
        assertThat(dispatcher.runOnce(WINDOW_ENDS)).singleElement().isInstanceOf(DispatchOutcome.GivenUp.class);
        assertThat(counts.reportKeys()).isEmpty();
        assertThat(queue.records().all(StoredTlsRptStore.KIND)).isEmpty();
    }

    @Test
    void aRefusedPostIsTriedAgainAtTheNextRunWithoutQueueingTheMailTwice() throws Exception {
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1; rua=mailto:tlsrpt@example.net," + collectorUri());
        status = 503;

        DispatchOutcome first = dispatcher.runOnce(NEXT_MORNING).getFirst();

        assertThat(first).isInstanceOf(DispatchOutcome.Deferred.class);
        assertThat(((DispatchOutcome.Deferred) first).reason()).contains("refused (503)");
        assertThat(queue.list()).hasSize(1);
        assertThat(counts.reportKeys()).containsExactly(REPORT);

        status = 200;
        assertThat(dispatcher.runOnce(NEXT_MORNING.plus(Duration.ofMinutes(10))))
                .containsExactly(new DispatchOutcome.Sent(REPORT, List.of(collectorUri() + " accepted (200)")));
        assertThat(posts).hasSize(2).allSatisfy(post -> assertThat(post.json()).isEqualTo(reportJson));
        assertThat(queue.list()).hasSize(1);
        assertThat(counts.reportKeys()).isEmpty();
    }

    @Test
    void aCollectorThatKeepsRefusingIsGivenUpAtTheEndOfTheRetryWindow() throws Exception {
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1; rua=" + collectorUri());
        status = 500;

        assertThat(dispatcher.runOnce(NEXT_MORNING)).singleElement().isInstanceOf(DispatchOutcome.Deferred.class);
        assertThat(dispatcher.runOnce(WINDOW_ENDS)).singleElement().isInstanceOf(DispatchOutcome.GivenUp.class);
        assertThat(posts).hasSize(2);
        assertThat(counts.reportKeys()).isEmpty();
    }

    @Test
    void aCollectorWithAnUntrustedCertificateGetsNothingAndTheReportIsKept() throws Exception {
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1; rua=" + collectorUri());
        TlsRptDispatcher distrusting = dispatcherTrusting(TestCertificates.ec().caChain("localhost"));

        DispatchOutcome outcome = distrusting.runOnce(NEXT_MORNING).getFirst();

        assertThat(outcome).isInstanceOf(DispatchOutcome.Deferred.class);
        assertThat(((DispatchOutcome.Deferred) outcome).reason()).contains("failed");
        assertThat(posts).isEmpty();
        assertThat(counts.reportKeys()).containsExactly(REPORT);
    }

    @Test
    void aMailTheQueueRefusesKeepsTheReportAndTheCollectorIsStillServed(@TempDir Path fullDisk) throws Exception {
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1; rua=mailto:tlsrpt@example.net," + collectorUri());
        try (H2MessageStore full = H2MessageStore.open(H2StoreSettings.defaults(fullDisk).withMinFreeBytes(Long.MAX_VALUE))) {
            TlsRptDispatcher refusing = new TlsRptDispatcher(scheduler,
                    DnsjavaTxtLookup.create(new DnsSettings(List.of(dns.address()), Duration.ofSeconds(2), 1)),
                    new TlsRptHttpsSender(TestTlsContexts.clientTrusting(CHAIN.root().certificate()), Duration.ofSeconds(5)),
                    full, "mta.example.org", TlsRptDispatcher.retryWindow(settings));

            DispatchOutcome outcome = refusing.runOnce(NEXT_MORNING).getFirst();

            assertThat(outcome).isInstanceOf(DispatchOutcome.Deferred.class);
            assertThat(((DispatchOutcome.Deferred) outcome).reason()).contains("not queued");
            assertThat(posts).hasSize(1);
            assertThat(counts.reportKeys()).containsExactly(REPORT);
        }
    }

    @Test
    void aReportIsNotDueBeforeItsDayEndedPlusTheSendDelay() throws Exception {
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1; rua=" + collectorUri());

        assertThat(dispatcher.runOnce(DURING_THE_DAY)).isEmpty();
        assertThat(dispatcher.runOnce(DUE.minusSeconds(1))).isEmpty();
        assertThat(dns.queries()).isEmpty();
        assertThat(posts).isEmpty();

        assertThat(dispatcher.runOnce(DUE)).singleElement().isInstanceOf(DispatchOutcome.Sent.class);
    }

    @Test
    void eachDueReportGetsItsOwnOutcomeOldestFirst() throws Exception {
        TestClock nextDay = new TestClock(DURING_THE_DAY.plus(Duration.ofDays(1)));
        new TlsRptRecorder(counts, settings, nextDay).record(SessionOutcome.success(STS));
        new TlsRptRecorder(counts, settings, new TestClock(DURING_THE_DAY))
                .record(SessionOutcome.success(AppliedPolicy.noPolicyFound("other.example")));
        dns.zone("other.example");
        dns.zone("example.net").txt(RECORD_NAME, "v=TLSRPTv1; rua=" + collectorUri());

        List<DispatchOutcome> outcomes = dispatcher.runOnce(NEXT_MORNING.plus(Duration.ofDays(1)));

        assertThat(outcomes).extracting(DispatchOutcome::report).containsExactly(
                REPORT, new ReportKey(DAY, "other.example"), new ReportKey(DAY.plusDays(1), DOMAIN));
        assertThat(outcomes.get(1)).isEqualTo(new DispatchOutcome.NoRecord(new ReportKey(DAY, "other.example")));
        assertThat(posts).hasSize(2);
        assertThat(counts.reportKeys()).isEmpty();
    }

    private static byte[] gunzip(byte[] gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
    }
}
