package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routes plugged into the admin listener, over real HTTP on loopback. */
class AdminResourcesTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RelayMetrics metrics = RelayMetrics.create();
    private AdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        metrics.close();
    }

    private void start(Optional<BearerToken> token, AdminRoute... routes) throws IOException {
        server = AdminServer.start(ANY_LOOPBACK_PORT, token, metrics, List.of(), List.of(routes), AdminServer.IDLE_TIMEOUT);
    }

    private void start(AdminRoute... routes) throws IOException {
        start(Optional.empty(), routes);
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.boundAddress().getPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aResourceIsGivenMethodPathQueryBodyOperatorAndRemoteAddress() throws Exception {
        AtomicReference<AdminRequest> seen = new AtomicReference<>();
        start(AdminRoute.post("/api/echo", request -> {
            seen.set(request);
            return AdminResponse.json(200, "{}");
        }));
        HttpResponse<String> response = send("POST", "/api/echo?state=held&state=deferred&reply=try%20later", "hello",
                "X-Mta-Operator", "alice");
        assertThat(response.statusCode()).isEqualTo(200);
        AdminRequest request = seen.get();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/echo");
        assertThat(request.parameters("state")).containsExactly("held", "deferred");
        assertThat(request.parameter("reply")).hasValue("try later");
        assertThat(request.parameter("absent")).isEmpty();
        assertThat(request.body()).isEqualTo("hello");
        assertThat(request.operator()).hasValue("alice");
        assertThat(request.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(request.remote()).startsWith("127.0.0.1:");
    }

    @Test
    void aResourceRunsOnAVirtualThreadAndHealthAnswersWhileItBlocks() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> thread = new AtomicReference<>();
        start(AdminRoute.get("/api/slow", request -> {
            thread.set(Thread.currentThread());
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
            return AdminResponse.text(200, "done");
        }));
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return send("GET", "/api/slow", "");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        // The event loop is free: a health probe is answered while the store call blocks.
        assertThat(send("GET", "/health/live", "").statusCode()).isEqualTo(200);
        assertThat(slow).isNotDone();
        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
        assertThat(thread.get().isVirtual()).isTrue();
        assertThat(thread.get().getName()).startsWith("mta-admin-");
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheirOrderEvenWhenTheFirstIsSlow() throws Exception {
        start(AdminRoute.get("/api/slow", request -> {
            Thread.sleep(200);
            return AdminResponse.text(200, "slow");
        }));
        try (Socket socket = new Socket(server.boundAddress().getAddress(), server.boundAddress().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/slow HTTP/1.1\r\nHost: admin\r\n\r\n"
                    + "GET /health/live HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String both = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(both.indexOf("slow")).isPositive().isLessThan(both.indexOf("{\"status\":\"up\"}"));
        }
    }

    @Test
    void aRefusalIsItsStatusWithTheMessageAsJson() throws Exception {
        start(AdminRoute.get("/api/refuse", request -> {
            throw request.parameter("what").orElse("").equals("missing")
                    ? AdminRequestException.notFound("no message ABC in the queue")
                    : AdminRequestException.badRequest("not a state: \"lost\"");
        }));
        HttpResponse<String> bad = send("GET", "/api/refuse", "");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(bad.body()).isEqualTo("{\"error\":\"not a state: \\\"lost\\\"\"}");
        HttpResponse<String> missing = send("GET", "/api/refuse?what=missing", "");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"no message ABC in the queue\"}");
        // A parameter given twice where one is meant.
        assertThat(send("GET", "/api/refuse?what=a&what=b", "").body()).contains("give what once, not 2 times");
    }

    @Test
    void aFailingResourceIs500AndTheConnectionServesOn() throws Exception {
        start(AdminRoute.get("/api/broken", request -> {
            throw new IllegalStateException("store closed");
        }));
        try (Socket socket = new Socket(server.boundAddress().getAddress(), server.boundAddress().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/broken HTTP/1.1\r\nHost: admin\r\n\r\n"
                    + "GET /health/live HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String both = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(both).startsWith("HTTP/1.1 500").contains("internal error: java.lang.IllegalStateException: store closed")
                    .contains("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aResourceSetsHeadersAndTheListenerForbidsCaching() throws Exception {
        start(AdminRoute.get("/page", request -> AdminResponse.html(200, "<p>hi</p>").withHeader("X-Frame-Options", "DENY")));
        HttpResponse<String> page = send("GET", "/page", "");
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
    }

    @Test
    void aPluggedPathWithTheWrongMethodIs405AndAnUnknownOne404() throws Exception {
        start(AdminRoute.post("/api/queue/hold", request -> AdminResponse.json(200, "{}")));
        HttpResponse<String> wrong = send("GET", "/api/queue/hold", "");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("allow")).hasValue("POST");
        assertThat(send("POST", "/api/queue/nothing", "").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/metrics", "").headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void withATokenPluggedRoutesNeedItToo() throws Exception {
        start(Optional.of(BearerToken.of("s3cret")), AdminRoute.post("/api/queue/hold", request -> AdminResponse.json(200, "{}")));
        assertThat(send("POST", "/api/queue/hold", "").statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/queue/hold", "", "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
    }

    @Test
    void closingStopsARequestThatIsStillRunning() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        start(AdminRoute.get("/api/forever", request -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return AdminResponse.text(200, "");
        }));
        try (Socket socket = new Socket(server.boundAddress().getAddress(), server.boundAddress().getPort())) {
            socket.getOutputStream().write("GET /api/forever HTTP/1.1\r\nHost: admin\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            server.close();
            server = null;
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(10_000);
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
