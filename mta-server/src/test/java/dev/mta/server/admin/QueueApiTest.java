package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.server.LogLines;
import dev.mta.server.TestRelay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The queue endpoints of a running relay over HTTP: answers, actions, refusals and the log of who acted. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestRelay relay;
    private QueueId bob;
    private QueueId carol;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        relay = TestRelay.in(dir).start();
        bob = relay.submit("bob@example.org", "Subject: api\r\n\r\nbody line\r\n");
        carol = relay.submit("carol@example.net", "Subject: api\r\n\r\nbody line\r\n");
    }

    @AfterAll
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.adminAddress().getPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String pathAndQuery, String... headers) throws Exception {
        HttpResponse<String> response = send(method, pathAndQuery, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    private void refused(int status, String method, String pathAndQuery, String error) throws Exception {
        HttpResponse<String> response = send(method, pathAndQuery);
        assertThat(response.statusCode()).as(method + " " + pathAndQuery).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).path("error").asText()).as(method + " " + pathAndQuery).isEqualTo(error);
    }

    @Test
    void listsTheQueueWithTheFiltersOfTheCommand() throws Exception {
        JsonNode all = ok("GET", "/api/queue/messages");
        assertThat(all).hasSize(2);
        JsonNode first = all.get(0);
        assertThat(first.path("id").asText()).isEqualTo(bob.toString());
        assertThat(first.path("sender").asText()).isEqualTo("alice@sender.example");
        assertThat(first.at("/recipients/0/address").asText()).isEqualTo("bob@example.org");
        assertThat(first.at("/recipients/0/state").asText()).isEqualTo("queued");
        assertThat(first.at("/recipients/0/attempts").asInt()).isZero();

        assertThat(ok("GET", "/api/queue/messages?domain=EXAMPLE.net")).extracting(n -> n.path("id").asText())
                .containsExactly(carol.toString());
        assertThat(ok("GET", "/api/queue/messages?id=" + bob.toString().toLowerCase() + "&id=" + carol)).hasSize(2);
        assertThat(ok("GET", "/api/queue/messages?recipient=bob%40example.org&sender=alice%40sender.example&state=queued"
                + "&older-than=0s")).hasSize(1);
        assertThat(ok("GET", "/api/queue/messages?older-than=1d")).isEmpty();
        assertThat(ok("GET", "/api/queue/messages?reply=nothing%20like%20this")).isEmpty();
    }

    @Test
    void showsOneMessageWithItsHeaderAndOnRequestItsBody() throws Exception {
        JsonNode shown = ok("GET", "/api/queue/messages/" + bob);
        assertThat(shown.path("id").asText()).isEqualTo(bob.toString());
        assertThat(shown.at("/envelope/sender").asText()).isEqualTo("alice@sender.example");
        assertThat(shown.at("/envelope/client/helo").asText()).isEqualTo("client.test");
        assertThat(shown.at("/envelope/recipients/0/address").asText()).isEqualTo("bob@example.org");
        assertThat(shown.at("/recipients/0/state").asText()).isEqualTo("queued");
        assertThat(shown.path("header").toString()).contains("Subject: api").doesNotContain("body line");
        assertThat(shown.has("message")).isFalse();

        JsonNode whole = ok("GET", "/api/queue/messages/" + bob + "?body=true");
        assertThat(whole.path("message").toString()).contains("Subject: api", "body line");
        assertThat(whole.has("header")).isFalse();
    }

    @Test
    void summarisesTheQueue() throws Exception {
        JsonNode summary = ok("GET", "/api/queue/summary?top=3");
        assertThat(summary.path("messages").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(summary.at("/total/domain").asText()).isEqualTo("TOTAL");
        assertThat(summary.at("/total/byAge/0-5m").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(summary.path("domains").findValuesAsText("domain")).contains("example.org", "example.net");
    }

    @Test
    void actionsChangeTheQueueAndAreLoggedWithTheOperatorAndTheClient() throws Exception {
        try (LogLines log = LogLines.of("dev.mta.admin", "INFO")) {
            JsonNode held = ok("POST", "/api/queue/hold?id=" + carol, "X-Mta-Operator", "alice");
            assertThat(held.path("messages").asInt()).isEqualTo(1);
            assertThat(held.path("recipients").asInt()).isEqualTo(1);
            assertThat(held.path("leased")).isEmpty();
            assertThat(relay.detail(carol).recipients().getFirst().state()).isEqualTo(RecipientState.HELD);
            assertThat(log.all()).containsPattern("queue hold by operator=alice from=127\\.0\\.0\\.1:\\d+ selection=\\[ids="
                    + carol + "\\]: 1 recipient\\(s\\) in 1 message\\(s\\)");

            assertThat(ok("POST", "/api/queue/release?domain=example.net").path("recipients").asInt()).isEqualTo(1);
            assertThat(relay.detail(carol).recipients().getFirst().state()).isEqualTo(RecipientState.QUEUED);
            assertThat(log.all()).contains("queue release by operator=unnamed from=127.0.0.1:");

            assertThat(ok("POST", "/api/queue/flush?id=" + carol, "X-Mta-Operator", "bob.smith").path("due").asInt()).isEqualTo(1);
            assertThat(log.all()).containsPattern("queue flush by operator=bob\\.smith from=127\\.0\\.0\\.1:\\d+ id=" + carol);
        }
    }

    @Test
    void badInputIs400WithAClearMessage() throws Exception {
        refused(400, "GET", "/api/queue/messages?state=lost", "not a state: lost (queued, deferred, held, delivered, bounced)");
        refused(400, "GET", "/api/queue/messages?older-than=soon", "not a duration: soon (e.g. 30m, 2h, 3d)");
        refused(400, "GET", "/api/queue/messages?id=NOT-AN-ID", "not a queue id: NOT-AN-ID");
        refused(400, "GET", "/api/queue/messages?domain=a&domain=b", "give domain once, not 2 times");
        refused(400, "GET", "/api/queue/messages?domian=example.org",
                "unknown parameter domian (known: id, sender, recipient, domain, state, older-than, reply)");
        refused(400, "GET", "/api/queue/messages/NOT-AN-ID", "not a queue id: NOT-AN-ID");
        refused(400, "GET", "/api/queue/messages/" + bob + "?body=maybe", "body is true or false");
        refused(400, "GET", "/api/queue/summary?top=-1", "top is a whole number, 0 or more, not -1");
        refused(400, "POST", "/api/queue/bounce?id=" + bob, "bounce needs a reason, for the DSN to the sender");
        refused(400, "POST", "/api/queue/bounce?reason=gone", "bounce needs queue ids or a filter (domain, sender, ...)");
        refused(400, "POST", "/api/queue/delete", "delete needs queue ids or a filter (domain, sender, ...)");
        refused(400, "POST", "/api/queue/hold?reason=why", "unknown parameter reason (known: id, sender, recipient, domain, state,"
                + " older-than, reply)");
        HttpResponse<String> forged = send("POST", "/api/queue/hold?id=" + bob, "X-Mta-Operator", "root from=10.0.0.1");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("X-Mta-Operator must be a user name");
        assertThat(relay.detail(bob).recipients().getFirst().state()).isEqualTo(RecipientState.QUEUED);
    }

    @Test
    void anUnknownMessageIs404() throws Exception {
        refused(404, "GET", "/api/queue/messages/0123456789AB", "no message 0123456789AB in the queue");
        refused(404, "POST", "/api/queue/flush?id=0123456789AB", "no message 0123456789AB in the queue");
        assertThat(send("GET", "/api/queue/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void mutationsArePostOnlyAndReadsGetOnly() throws Exception {
        for (String action : new String[] {"flush", "hold", "release", "requeue", "bounce", "delete"}) {
            HttpResponse<String> response = send("GET", "/api/queue/" + action + "?id=" + bob);
            assertThat(response.statusCode()).as(action).isEqualTo(405);
            assertThat(response.headers().firstValue("allow")).as(action).hasValue("POST");
        }
        assertThat(send("POST", "/api/queue/messages").headers().firstValue("allow")).hasValue("GET");
        assertThat(send("DELETE", "/api/queue/messages/" + bob).statusCode()).isEqualTo(405);
        assertThat(relay.detail(bob).recipients().getFirst().state()).isEqualTo(RecipientState.QUEUED);
    }
}
