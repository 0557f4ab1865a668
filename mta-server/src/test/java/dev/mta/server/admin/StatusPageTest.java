package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.tls.TestCertificates;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of a relay after known traffic, loaded in a real browser (headless Chromium):
 * the numbers in its DOM are those of /api/status and of the traffic, and it renders to a
 * screenshot worth looking at (target/status-page.png).
 */
class StatusPageTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void thePageShowsTheQueueTheLastDayOfDeliveryItsTlsAndWhyMailWaits() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.in(dir);
        try (TestDnsServer dns = TestDnsServer.start();
                SmtpSinkServer withTls = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.example.org")
                        .startTls(TestCertificates.ec().selfSignedLeaf("mx.example.org").serverSslContext()).start();
                SmtpSinkServer clearText = SmtpSinkServer.builder().address("127.0.0.3").port(withTls.port())
                        .hostName("mx.example.net").start();
                SmtpSinkServer deferring = SmtpSinkServer.builder().address("127.0.0.4").port(withTls.port())
                        .hostName("mx.example.com").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            dns.zone("example.net").mx("example.net", 10, "mx.example.net").a("mx.example.net", "127.0.0.3");
            dns.zone("example.com").mx("example.com", 10, "mx.example.com").a("mx.example.com", "127.0.0.4");
            // The bounce's DSN goes back to the sender's domain, in clear text.
            dns.zone("sender.example").mx("sender.example", 10, "mx.example.net");
            withTls.replyToRecipient("nobody@example.org", 550, "5.1.1 no such user");
            deferring.reply(ReplyPoint.RCPT, 451, "4.3.2 <greylisted> & try later");
            try (TestRelay relay = TestRelay.in(dir)
                    .deliveringThrough(dns.port(), withTls.port())
                    .start()) {
                relay.submit("bob@example.org", "Subject: seen\r\n\r\nx\r\n");
                relay.submit("nobody@example.org", "Subject: seen\r\n\r\nx\r\n");
                relay.submit("carol@example.net", "Subject: seen\r\n\r\nx\r\n");
                relay.submit("dave@example.com", "Subject: seen\r\n\r\nx\r\n");
                withTls.awaitMessages(1, WAIT);
                clearText.awaitMessages(2, WAIT); // carol's, and the DSN for nobody's

                String base = "http://127.0.0.1:" + relay.adminAddress().getPort();
                JsonNode status = statusWhen(base, s -> s.at("/deliveries/delivered").asInt() == 3
                        && s.at("/deliveries/deferred").asInt() == 1 && s.at("/deliveries/bounced").asInt() == 1
                        && s.at("/queue/messages").asInt() == 1);
                // The known traffic: bob over TLS, carol and the DSN in clear, nobody bounced, dave deferred.
                assertThat(status.at("/deliveries/delivered").asInt()).isEqualTo(3);
                assertThat(status.at("/deliveries/deferred").asInt()).isEqualTo(1);
                assertThat(status.at("/deliveries/bounced").asInt()).isEqualTo(1);
                assertThat(status.at("/deliveries/buckets")).hasSize(144);
                assertThat(status.at("/tls/encrypted/delivered").asInt()).isEqualTo(1);
                assertThat(status.at("/tls/clear/delivered").asInt()).isEqualTo(2);
                assertThat(status.at("/tls/encrypted/percent").asInt()).isEqualTo(33);
                assertThat(status.at("/tls/clear/percent").asInt()).isEqualTo(67);
                assertThat(status.at("/tls/dane/delivered").asInt()).isZero();
                assertThat(status.at("/queue/messages").asInt()).isEqualTo(1);
                assertThat(status.at("/queue/recipients/deferred").asInt()).isEqualTo(1);
                assertThat(status.at("/queue/oldest").asText()).isEqualTo("0-5m");
                assertThat(status.at("/deferralReasons/0/reply").asText()).isEqualTo("451 4.3.2 <greylisted> & try later");
                assertThat(status.at("/deferralReasons/0/count").asInt()).isEqualTo(1);

                String dom = chromium.dumpDom(base + "/");
                assertThat(text(dom, "queue-messages")).isEqualTo(status.at("/queue/messages").asText());
                assertThat(text(dom, "queue-oldest")).isEqualTo("0-5m");
                for (String state : new String[] {"queued", "deferred", "held", "delivered", "bounced"}) {
                    assertThat(cell(dom, "queue-" + state, "count")).as(state).isEqualTo(status.at("/queue/recipients/" + state).asText());
                }
                assertThat(text(dom, "delivered-total")).isEqualTo("3");
                assertThat(text(dom, "deferred-total")).isEqualTo("1");
                assertThat(text(dom, "bounced-total")).isEqualTo("1");
                for (String posture : new String[] {"dane", "mta-sts", "verified", "encrypted", "clear"}) {
                    assertThat(cell(dom, "tls-" + posture, "count")).as(posture).isEqualTo(status.at("/tls/" + posture + "/delivered").asText());
                    assertThat(cell(dom, "tls-" + posture, "share")).as(posture).isEqualTo(status.at("/tls/" + posture + "/percent").asText() + "%");
                }
                // The chart has the traffic in its bars, and the remote server's reply is text, not markup.
                assertThat(sum(dom, "delivered")).isEqualTo(3);
                assertThat(sum(dom, "deferred")).isEqualTo(1);
                assertThat(sum(dom, "bounced")).isEqualTo(1);
                assertThat(dom).contains("<span class=\"count\">1</span> <span class=\"reason\">451 4.3.2 &lt;greylisted&gt; &amp; try later</span>")
                        .doesNotContain("<greylisted>");

                Path png = Path.of("target/status-page.png");
                chromium.screenshot(base + "/status", png, 1280, 900);
                BufferedImage image = ImageIO.read(png.toFile());
                assertThat(image.getWidth()).isEqualTo(1280);
                assertThat(image.getHeight()).isEqualTo(900);
                assertThat(Files.size(png)).isGreaterThan(10_000);
                assertThat(colours(image)).as("colours in the screenshot").isGreaterThan(20);
            }
        }
    }

    @Test
    void thePageAndItsDataForbidScriptsFramesAndCaching() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).start()) {
            String base = "http://127.0.0.1:" + relay.adminAddress().getPort();
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'").doesNotContain("script-src"));
            assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
            // Self-contained: nothing is loaded from anywhere.
            assertThat(page.body()).doesNotContain("<script", "src=", "<link", "@import", "url(")
                    .contains("<h1>relay.test</h1>", "id=\"no-deferrals\"");
            JsonNode empty = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(empty.at("/queue/oldest").isNull()).isTrue();
            assertThat(empty.at("/deliveries/delivered").asInt()).isZero();
            assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        }
    }

    private JsonNode statusWhen(String base, java.util.function.Predicate<JsonNode> settled) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode status;
        do {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            status = JSON.readTree(response.body());
            if (settled.test(status)) {
                return status;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return status;
    }

    /** The text of the element with this id. */
    private static String text(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(dom);
        assertThat(m.find()).as("an element with id " + id).isTrue();
        return m.group(1);
    }

    /** The text of the cell with this class in the row with this id. */
    private static String cell(String dom, String rowId, String cellClass) {
        Matcher m = Pattern.compile("<tr id=\"" + Pattern.quote(rowId) + "\">.*?<td class=\"" + cellClass + "\">([^<]*)</td>")
                .matcher(dom);
        assertThat(m.find()).as("row " + rowId).isTrue();
        return m.group(1);
    }

    /** The counts of the chart's bars of one kind, added up. */
    private static int sum(String dom, String kind) {
        Matcher m = Pattern.compile("<rect class=\"" + kind + "\" data-count=\"(\\d+)\"").matcher(dom);
        int sum = 0;
        while (m.find()) {
            sum += Integer.parseInt(m.group(1));
        }
        return sum;
    }

    private static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
