package dev.mta.security.tlsrpt;

import dev.mta.testsupport.tlsrpt.ReportSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mta.testsupport.tls.CaChain;
import dev.mta.testsupport.tls.TestCertificates;
import dev.mta.testsupport.tls.TestTlsContexts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reports by HTTPS POST (RFC 8460 5.4) to a collector on loopback with a test-time certificate. */
class TlsRptHttpsSenderTest {

    private static final CaChain CHAIN = TestCertificates.ec().caChain("localhost");

    private final TlsRptReport report = DayOfSessions.report(DayOfSessions.settings());
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private volatile int status = 201;
    private HttpsServer collector;

    /** What the collector saw: the request's media type and the schema's verdict on the body. */
    record Delivery(String method, String contentType, byte[] json, Set<String> problems) {
    }

    @BeforeEach
    void startCollector() throws IOException {
        collector = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.setHttpsConfigurator(new HttpsConfigurator(TestTlsContexts.server(CHAIN.leaf())));
        collector.createContext("/v1/tlsrpt", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] json = ReportSchema.gunzip(body);
            deliveries.add(new Delivery(exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), json, ReportSchema.problems(json)));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    @Test
    void theCollectorGetsAGzippedReportThatValidates() {
        HttpsPostOutcome outcome = trustingSender().post(collectorUri(), report);

        assertThat(outcome).isEqualTo(new HttpsPostOutcome.Accepted(201));
        assertThat(deliveries).hasSize(1);
        Delivery delivery = deliveries.getFirst();
        assertThat(delivery.method()).isEqualTo("POST");
        assertThat(delivery.contentType()).isEqualTo("application/tlsrpt+gzip");
        assertThat(delivery.problems()).isEmpty();
        assertThat(delivery.json()).isEqualTo(report.json());
    }

    @Test
    void anErrorStatusIsARefusal() {
        status = 503;

        assertThat(trustingSender().post(collectorUri(), report)).isEqualTo(new HttpsPostOutcome.Refused(503));
    }

    @Test
    void anUntrustedCertificateFailsWithoutSendingTheReport() {
        CaChain other = TestCertificates.ec().caChain("localhost");
        TlsRptHttpsSender sender = new TlsRptHttpsSender(
                TestTlsContexts.clientTrusting(other.root().certificate()), Duration.ofSeconds(5));

        assertThat(sender.post(collectorUri(), report)).isInstanceOf(HttpsPostOutcome.Failed.class);
        assertThat(deliveries).isEmpty();
    }

    @Test
    void aCollectorThatDoesNotAnswerTimesOut() throws IOException {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TlsRptHttpsSender sender = new TlsRptHttpsSender(
                    TestTlsContexts.clientTrusting(CHAIN.root().certificate()), Duration.ofMillis(300));

            HttpsPostOutcome outcome = sender.post(
                    URI.create("https://localhost:" + silent.getLocalPort() + "/v1/tlsrpt"), report);

            assertThat(outcome).isInstanceOf(HttpsPostOutcome.Failed.class);
        }
    }

    @Test
    void onlyHttpsUrisAreAccepted() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                trustingSender().post(URI.create("http://localhost:1/v1/tlsrpt"), report));
    }

    private TlsRptHttpsSender trustingSender() {
        SSLContext trusting = TestTlsContexts.clientTrusting(CHAIN.root().certificate());
        return new TlsRptHttpsSender(trusting, Duration.ofSeconds(5));
    }

    private URI collectorUri() {
        return URI.create("https://localhost:" + collector.getAddress().getPort() + "/v1/tlsrpt");
    }
}
