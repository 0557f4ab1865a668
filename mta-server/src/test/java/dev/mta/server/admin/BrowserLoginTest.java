package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.LogLines;
import dev.mta.testsupport.time.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With a token, a browser opens the status page by giving the token once to the login form and
 * getting a session cookie; the cookie opens the page and nothing else.
 */
class BrowserLoginTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RelayMetrics metrics = RelayMetrics.create();
    private final TestClock clock = TestClock.now();
    private AdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        metrics.close();
    }

    private void start(Optional<BearerToken> token) throws IOException {
        server = AdminServer.start(ANY_LOOPBACK_PORT, token, metrics, List.of(), List.of(
                AdminRoute.get("/", request -> AdminResponse.html(200, "<p>the page</p>")).forBrowsers(),
                AdminRoute.get("/api/status", request -> AdminResponse.json(200, "{}")),
                AdminRoute.post("/api/queue/hold", request -> AdminResponse.json(200, "{}"))), AdminServer.IDLE_TIMEOUT, clock);
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.boundAddress().getPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        List<String> all = new ArrayList<>(List.of(headers));
        if (!body.isEmpty()) {
            all.addAll(List.of("Content-Type", "application/x-www-form-urlencoded"));
        }
        if (!all.isEmpty()) {
            request.headers(all.toArray(String[]::new));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in as a browser would and returns the cookie it was given, as a Cookie header value. */
    private String logIn() throws Exception {
        HttpResponse<String> in = send("POST", "/login", "token=s3cret-t0ken");
        assertThat(in.statusCode()).isEqualTo(303);
        assertThat(in.headers().firstValue("location")).hasValue("/");
        String setCookie = in.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).startsWith("mta_admin_session=").contains("; Path=/", "; HttpOnly", "; SameSite=Strict", "; Max-Age=43200");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void aBrowserWithoutASessionIsSentToTheLoginForm() throws Exception {
        start(Optional.of(BearerToken.of("s3cret-t0ken")));
        HttpResponse<String> page = send("GET", "/", "");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("location")).hasValue("/login");
        HttpResponse<String> form = send("GET", "/login", "");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<form method=\"post\" action=\"/login\">", "type=\"password\" name=\"token\"");
        assertThat(form.headers().firstValue("content-security-policy")).isPresent();
    }

    @Test
    void theRightTokenGivesASessionThatOpensThePage() throws Exception {
        start(Optional.of(BearerToken.of("s3cret-t0ken")));
        try (LogLines log = LogLines.of("dev.mta.admin", "INFO")) {
            String cookie = logIn();
            HttpResponse<String> page = send("GET", "/", "", "Cookie", cookie);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).isEqualTo("<p>the page</p>");
            assertThat(log.all()).containsPattern("admin login from 127\\.0\\.0\\.1:\\d+: a session for the status page");
        }
    }

    @Test
    void aWrongTokenIsRefusedAndLogged() throws Exception {
        start(Optional.of(BearerToken.of("s3cret-t0ken")));
        try (LogLines log = LogLines.of("dev.mta.admin", "INFO")) {
            for (String body : List.of("token=s3cret", "token=", "other=s3cret-t0ken", "token=s3cret-t0ken&token=s3cret-t0ken")) {
                HttpResponse<String> refused = send("POST", "/login", body);
                assertThat(refused.statusCode()).as(body).isEqualTo(401);
                assertThat(refused.headers().firstValue("set-cookie")).as(body).isEmpty();
                assertThat(refused.body()).as(body).contains("That is not the token.", "<form");
            }
            assertThat(log.lines()).filteredOn(line -> line.startsWith("admin login refused: wrong token from 127.0.0.1:")).hasSize(4);
        }
    }

    @Test
    void aSessionOpensOnlyThePageNeverTheApi() throws Exception {
        start(Optional.of(BearerToken.of("s3cret-t0ken")));
        String cookie = logIn();
        assertThat(send("GET", "/api/status", "", "Cookie", cookie).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/queue/hold", "", "Cookie", cookie).statusCode()).isEqualTo(401);
        // Scripts use the token, on the page too; a wrong token is a refusal, not a redirect.
        assertThat(send("GET", "/", "", "Authorization", "Bearer s3cret-t0ken").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/", "", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void aForgedOrExpiredSessionIsSentToTheLoginForm() throws Exception {
        start(Optional.of(BearerToken.of("s3cret-t0ken")));
        String cookie = logIn();
        assertThat(send("GET", "/", "", "Cookie", "mta_admin_session=forged").statusCode()).isEqualTo(303);
        clock.advance(AdminSessions.LIFETIME.minusMinutes(1));
        assertThat(send("GET", "/", "", "Cookie", cookie).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        assertThat(send("GET", "/", "", "Cookie", cookie).statusCode()).isEqualTo(303);
    }

    @Test
    void sessionsAreBoundedTheOldestGoingFirst() throws Exception {
        AdminSessions sessions = new AdminSessions(clock);
        String first = sessions.open();
        clock.advance(Duration.ofSeconds(1));
        List<String> later = new ArrayList<>();
        for (int i = 1; i < AdminSessions.MAX_SESSIONS; i++) {
            later.add(sessions.open());
        }
        assertThat(sessions.valid(first)).isTrue();
        String newest = sessions.open();
        assertThat(sessions.valid(first)).isFalse();
        assertThat(sessions.valid(newest)).isTrue();
        assertThat(later).allMatch(sessions::valid);
        assertThat(newest).hasSize(43).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void withoutATokenThereIsNoLoginAndThePageIsOpen() throws Exception {
        start(Optional.empty());
        assertThat(send("GET", "/", "").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/login", "").statusCode()).isEqualTo(404);
    }
}
