package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin listener over real HTTP on loopback, with readiness checks the test controls. */
class AdminServerTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean storeOpen = new AtomicBoolean(true);
    private final AtomicBoolean listenersBound = new AtomicBoolean(true);
    private RelayMetrics metrics;
    private AdminServer server;

    @BeforeEach
    void createMetrics() {
        metrics = RelayMetrics.create();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        metrics.close();
    }

    private AdminServer start(Optional<BearerToken> token, Duration idleTimeout) throws IOException {
        server = AdminServer.start(ANY_LOOPBACK_PORT, token, metrics, List.of(
                new ReadinessCheck("queue-store", storeOpen::get),
                new ReadinessCheck("smtp-listeners", listenersBound::get)), idleTimeout);
        return server;
    }

    private AdminServer start() throws IOException {
        return start(Optional.empty(), AdminServer.IDLE_TIMEOUT);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.boundAddress().getPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bindsAFreePortOnLoopbackWhenAskedForPortZero() throws Exception {
        start();
        assertThat(server.boundAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(server.boundAddress().getPort()).isPositive();
    }

    @Test
    void livenessAnswersUpWhateverTheChecksSay() throws Exception {
        start();
        storeOpen.set(false);
        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"up\"}");
        assertThat(live.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(live.headers().firstValue("cache-control")).hasValue("no-store");
    }

    @Test
    void readinessIsOkWhenEveryCheckPasses() throws Exception {
        start();
        for (String path : List.of("/health/ready", "/health")) {
            HttpResponse<String> ready = get(path);
            assertThat(ready.statusCode()).as(path).isEqualTo(200);
            assertThat(ready.body()).isEqualTo(
                    "{\"status\":\"up\",\"checks\":{\"queue-store\":\"up\",\"smtp-listeners\":\"up\"}}");
        }
    }

    @Test
    void readinessIs503NamingTheCheckThatFailed() throws Exception {
        start();
        listenersBound.set(false);
        for (String path : List.of("/health/ready", "/health")) {
            HttpResponse<String> ready = get(path);
            assertThat(ready.statusCode()).as(path).isEqualTo(503);
            assertThat(ready.body()).isEqualTo(
                    "{\"status\":\"down\",\"checks\":{\"queue-store\":\"up\",\"smtp-listeners\":\"down\"}}");
        }
        // Asked again at every request: the answer follows the relay.
        listenersBound.set(true);
        storeOpen.set(false);
        assertThat(get("/health/ready").body()).contains("\"queue-store\":\"down\"", "\"smtp-listeners\":\"up\"");
        storeOpen.set(true);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreThePrometheusTextOfTheRegistry() throws Exception {
        start();
        Counter counter = Counter.builder("mta.test.things").description("counted by the test").register(metrics.registry());
        counter.increment(3);
        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(scrape.body())
                .contains("# TYPE jvm_memory_used_bytes gauge", "jvm_memory_used_bytes{area=\"heap\"",
                        "jvm_threads_live_threads", "jvm_classes_loaded_classes", "process_uptime_seconds",
                        "system_cpu_count", "jvm_gc_")
                .contains("mta_test_things_total 3.0");
    }

    @Test
    void anUnknownPathIs404AndAQueryStringDoesNotMatter() throws Exception {
        start();
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        assertThat(get("/health/live/more").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/nothing").statusCode()).isEqualTo(404);
        assertThat(get("/health/live?verbose=1").statusCode()).isEqualTo(200);
    }

    @Test
    void anotherMethodThanGetIs405WithTheAllowedMethod() throws Exception {
        start();
        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<String> refused = send(method, "/metrics");
            assertThat(refused.statusCode()).as(method).isEqualTo(405);
            assertThat(refused.headers().firstValue("allow")).hasValue("GET");
        }
    }

    @Test
    void withATokenARequestWithoutItIsRefusedAndTold401Bearer() throws Exception {
        start(Optional.of(BearerToken.of("s3cret-token")), AdminServer.IDLE_TIMEOUT);
        for (String path : List.of("/health/live", "/metrics", "/nothing")) {
            HttpResponse<String> refused = get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(401);
            assertThat(refused.headers().firstValue("www-authenticate")).hasValue("Bearer");
            assertThat(refused.body()).doesNotContain("jvm_");
        }
    }

    @Test
    void withATokenAWrongOneIsRefusedAsInvalid() throws Exception {
        start(Optional.of(BearerToken.of("s3cret-token")), AdminServer.IDLE_TIMEOUT);
        for (String authorization : List.of("Bearer s3cret-tokeN", "Bearer s3cret-token-and-more", "Bearer s3cret",
                "Basic czNjcmV0LXRva2Vu", "s3cret-token", "Bearer")) {
            HttpResponse<String> refused = get("/metrics", "Authorization", authorization);
            assertThat(refused.statusCode()).as(authorization).isEqualTo(401);
            assertThat(refused.headers().firstValue("www-authenticate")).hasValue("Bearer error=\"invalid_token\"");
        }
    }

    @Test
    void withATokenTheRightOneIsAccepted() throws Exception {
        start(Optional.of(BearerToken.of("s3cret-token")), AdminServer.IDLE_TIMEOUT);
        assertThat(get("/health/ready", "Authorization", "Bearer s3cret-token").statusCode()).isEqualTo(200);
        // RFC 9110 11.1: the scheme is case-insensitive.
        HttpResponse<String> scrape = get("/metrics", "Authorization", "bearer s3cret-token");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void aConnectionServesSeveralRequestsUntilTheClientAsksToClose() throws Exception {
        start();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /health/live HTTP/1.1\r\nHost: admin\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200 OK").doesNotContain("connection: close");
            out.write("GET /health/ready HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200 OK").contains("connection: close");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aHeaderSectionOverTheLimitIsRefusedAndTheConnectionClosed() throws Exception {
        start();
        try (Socket socket = connect()) {
            String huge = "X-Filler: " + "a".repeat(AdminServer.MAX_REQUEST_BYTES + 100) + "\r\n";
            socket.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: admin\r\n" + huge + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 400 Bad Request");
            assertThat(response).doesNotContain("\"status\":\"up\"");
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413() throws Exception {
        start();
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("POST /metrics HTTP/1.1\r\nHost: admin\r\nContent-Length: 100000\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void aSmallBodyIsIgnored() throws Exception {
        start();
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: admin\r\nContent-Length: 5\r\n"
                    + "Connection: close\r\n\r\nhello").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("{\"status\":\"up\"}");
        }
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        start(Optional.empty(), Duration.ofMillis(200));
        try (Socket socket = connect()) {
            long started = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void anAddressInUseIsReportedAtStart() throws Exception {
        start();
        assertThatThrownBy(() -> AdminServer.start(server.boundAddress(), Optional.empty(), metrics, List.of(),
                AdminServer.IDLE_TIMEOUT))
                .isInstanceOf(java.net.BindException.class)
                .hasMessageContaining("admin listener cannot bind 127.0.0.1:" + server.boundAddress().getPort() + ": ");
    }

    @Test
    void addressesAreWrittenAsOperatorsWriteThem() throws Exception {
        assertThat(AdminServer.text(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8025))).isEqualTo("127.0.0.1:8025");
        assertThat(AdminServer.text(new InetSocketAddress(InetAddress.getByName("::1"), 8025)))
                .isEqualTo("[0:0:0:0:0:0:0:1]:8025");
    }

    @Test
    void afterCloseNothingListens() throws Exception {
        start();
        InetSocketAddress address = server.boundAddress();
        server.close();
        server = null;
        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(server.boundAddress().getAddress(), server.boundAddress().getPort());
        // A safety net only: every test expects an answer or a close long before this.
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** One response with a Content-Length body; header names as Netty writes them (lower case). */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
        int at = lower.indexOf("content-length:");
        int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).strip());
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
