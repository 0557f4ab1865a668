package dev.mta.testsupport.https;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestHttpsServerTest {
    private static final TestCertificates CERTIFICATES = TestCertificates.ec();
    private static CertifiedKey ca;
    private static TestHttpsServer server;

    @BeforeAll
    static void start() {
        ca = CERTIFICATES.ca("Test HTTPS CA");
        server = TestHttpsServer.start(CERTIFICATES.leaf(ca, "default.example"));
        server.certificate("a.example", CERTIFICATES.leaf(ca, "a.example"));
        server.certificate("b.example", CERTIFICATES.leaf(ca, "b.example"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Exchange(String head, String body, X509Certificate peer) {
    }

    /** A minimal client: TLS with SNI {@code serverName}, one GET with Host {@code host}. */
    private static Exchange get(String serverName, String host, String path) throws Exception {
        try (SSLSocket socket = (SSLSocket) ca.trustingSslContext().getSocketFactory()
                .createSocket(server.address().getAddress(), server.port())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":443\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            return new Exchange(response.substring(0, split), response.substring(split + 4),
                    (X509Certificate) socket.getSession().getPeerCertificates()[0]);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    @Test
    void servesTheResponseSetForHostAndPath() throws Exception {
        server.respond("a.example", "/.well-known/mta-sts.txt", HttpsResponse.policy("version: STSv1\n"));
        Exchange exchange = get("a.example", "a.example", "/.well-known/mta-sts.txt");
        assertThat(exchange.head()).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/plain");
        assertThat(exchange.body()).isEqualTo("version: STSv1\n");
    }

    @Test
    void answers404ForAnythingElse() throws Exception {
        assertThat(get("a.example", "a.example", "/other").head()).startsWith("HTTP/1.1 404");
        assertThat(get("a.example", "unknown.example", "/.well-known/mta-sts.txt").head()).startsWith("HTTP/1.1 404");
    }

    @Test
    void presentsTheCertificateForTheSniName() throws Exception {
        assertThat(get("b.example", "b.example", "/").peer().getSubjectX500Principal().getName()).contains("CN=b.example");
        assertThat(get("c.example", "c.example", "/").peer().getSubjectX500Principal().getName()).contains("CN=default.example");
    }

    @Test
    void redirectsCarryALocation() throws Exception {
        server.respond("b.example", "/moved", HttpsResponse.redirect(301, "https://elsewhere.example/"));
        Exchange exchange = get("b.example", "b.example", "/moved");
        assertThat(exchange.head()).startsWith("HTTP/1.1 301").containsIgnoringCase("location: https://elsewhere.example/");
    }

    @Test
    void delayedResponsesWait() throws Exception {
        server.respond("b.example", "/slow", HttpsResponse.policy("late").delayedBy(Duration.ofMillis(300)));
        long start = System.nanoTime();
        assertThat(get("b.example", "b.example", "/slow").body()).isEqualTo("late");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void recordsTheContentTypeAndBodyOfAPost() throws Exception {
        try (SSLSocket socket = (SSLSocket) ca.trustingSslContext().getSocketFactory()
                .createSocket(server.address().getAddress(), server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST /collect HTTP/1.1\r\nHost: c.example\r\nContent-Type: application/tlsrpt+gzip\r\n"
                    + "Content-Length: 5\r\n\r\nhello").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            readAll(socket.getInputStream());
        }
        ReceivedRequest post = server.requests().stream().filter(r -> r.path().equals("/collect")).findFirst().orElseThrow();
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.contentType()).contains("application/tlsrpt+gzip");
        assertThat(new String(post.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void recordsRequestsWithSniAndHost() throws Exception {
        get("a.example", "A.Example", "/recorded");
        assertThat(server.requests()).extracting(ReceivedRequest::serverName, ReceivedRequest::host, ReceivedRequest::method,
                ReceivedRequest::path).contains(org.assertj.core.groups.Tuple.tuple(Optional.of("a.example"), "a.example", "GET", "/recorded"));
    }

    @Test
    void bindsToAnotherLoopbackAddress() throws Exception {
        try (TestHttpsServer other = TestHttpsServer.start(InetAddress.getByName("127.0.0.2"),
                CERTIFICATES.leaf(ca, "other.example"))) {
            assertThat(other.ipAddress()).isEqualTo("127.0.0.2");
            assertThat(other.port()).isPositive();
        }
    }

    @Test
    void servesHugeBodies() throws Exception {
        server.respond("a.example", "/huge", HttpsResponse.huge(200_000));
        assertThat(get("a.example", "a.example", "/huge").body()).hasSize(200_000);
    }
}
