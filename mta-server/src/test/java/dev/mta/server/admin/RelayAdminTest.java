package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.server.Relay;
import dev.mta.server.TestRelay;
import dev.mta.server.config.ConfigLoader;
import dev.mta.server.config.RelayConfig;
import io.micrometer.core.instrument.Counter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener as the relay runs it: started with the relay, ready once it takes mail. */
class RelayAdminTest {
    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(InetSocketAddress admin, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aStartedRelayIsReadyAndServesItsMetricsUntilItStops() throws Exception {
        InetSocketAddress admin;
        try (TestRelay relay = TestRelay.in(dir).start()) {
            admin = relay.adminAddress();
            assertThat(admin.getAddress().isLoopbackAddress()).isTrue();

            HttpResponse<String> ready = get(admin, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo(
                    "{\"status\":\"up\",\"checks\":{\"queue-store\":\"up\",\"smtp-listeners\":\"up\"}}");
            assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200);

            Counter.builder("mta.test.relay.things").register(relay.metrics().registry()).increment();
            HttpResponse<String> metrics = get(admin, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes", "mta_test_relay_things_total 1.0");
        }
        assertThatThrownBy(() -> new Socket(admin.getAddress(), admin.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aTokenFileInTheConfigurationIsRequired() throws Exception {
        Path token = Files.writeString(dir.resolve("admin.token"), "relay-t0ken\n");
        try (TestRelay relay = TestRelay.in(dir).option("admin.token-file", "\"" + token + "\"").start()) {
            assertThat(get(relay.adminAddress(), "/health/ready").statusCode()).isEqualTo(401);
            assertThat(get(relay.adminAddress(), "/health/ready", "Authorization", "Bearer relay-t0ken").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void anEmptyTokenFileIsFoundByTheFileCheckAndRefusedAtStart() throws Exception {
        Path token = Files.writeString(dir.resolve("admin.token"), "\n");
        TestRelay.Builder builder = TestRelay.in(dir).option("admin.token-file", "\"" + token + "\"");
        RelayConfig config = ConfigLoader.load(Path.of("../conf/mta.conf"), builder.overrides()).config();
        assertThatThrownBy(() -> Relay.checkFiles(config)).hasMessageContaining(token + " is empty");
        assertThatThrownBy(builder::start).hasMessageContaining(token + " is empty");
    }

    @Test
    void aDisabledAdminListenerIsNotStartedButTheMetricsExist() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).option("admin.enabled", "false").start()) {
            assertThatThrownBy(relay::adminAddress).isInstanceOf(IllegalStateException.class);
            assertThat(relay.metrics().scrape()).contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void anAdminPortInUseFailsTheStartAndReleasesTheQueue() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestRelay.in(dir).option("admin.port", String.valueOf(taken.getLocalPort())).start())
                    .hasMessageContaining("admin listener cannot bind");
        }
        // The failed start closed its queue store, so the same data directory opens again.
        try (TestRelay relay = TestRelay.in(dir).start()) {
            assertThat(get(relay.adminAddress(), "/health/ready").statusCode()).isEqualTo(200);
        }
    }
}
