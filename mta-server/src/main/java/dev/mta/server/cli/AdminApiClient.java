package dev.mta.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mta.server.admin.AdminRequest;
import dev.mta.server.admin.QueueJson;
import dev.mta.server.config.AdminConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's side of the admin API: requests to the running relay's admin listener with its token
 * (read from admin.token-file) and the user's name, answers as JSON, refusals as command
 * failures with the relay's own words.
 */
final class AdminApiClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueAccess.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    // A bounce or delete of much mail is one transaction in the store; give it time.
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private static final InetAddress LOOPBACK_V4 = loopbackV4();

    private final HttpClient http;
    private final URI base;
    private final Optional<String> token;

    private AdminApiClient(HttpClient http, URI base, Optional<String> token) {
        this.http = http;
        this.base = base;
        this.token = token;
    }

    /**
     * A client of the admin listener the configuration describes, when it answers; empty when
     * it is off, its port is picked at start (0), or nothing listens (connection refused).
     *
     * @throws CommandFailure when the token file cannot be read, or the listener answers but
     *                        refuses (wrong token) or fails
     */
    static Optional<AdminApiClient> connect(AdminConfig config) {
        if (!config.enabled()) {
            LOG.debug("admin.enabled = false: opening the queue store directly");
            return Optional.empty();
        }
        if (config.port() == 0) {
            LOG.debug("admin.port = 0 (picked at start, not known here): opening the queue store directly");
            return Optional.empty();
        }
        URI base = base(config.address(), config.port());
        Optional<String> token = config.tokenFile().map(AdminApiClient::readToken);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
        AdminApiClient client = new AdminApiClient(http, base, token);
        try {
            HttpResponse<String> live = client.send(client.request("/health/live").GET());
            if (live.statusCode() != 200) {
                throw client.failure(live);
            }
        } catch (ConnectException e) {
            http.close();
            LOG.debug("nothing listens at {} (connection refused): opening the queue store directly", base);
            return Optional.empty();
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
        LOG.debug("using the running relay's admin API at {}", base);
        return Optional.of(client);
    }

    JsonNode get(String pathAndQuery) {
        return json(sendAfterConnect(request(pathAndQuery).GET()));
    }

    JsonNode post(String pathAndQuery) {
        return json(sendAfterConnect(request(pathAndQuery).POST(HttpRequest.BodyPublishers.noBody())));
    }

    private HttpResponse<String> sendAfterConnect(HttpRequest.Builder request) {
        try {
            return send(request);
        } catch (ConnectException e) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "the admin listener at " + base + " stopped answering: " + e);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header(AdminRequest.OPERATOR_HEADER, StoreQueueAccess.user());
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws ConnectException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "the admin listener at " + base + " does not answer: " + e.getMessage());
        } catch (ConnectException e) {
            throw e;
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "the admin listener at " + base + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCodes.TEMPORARY_FAILURE, "interrupted");
        }
    }

    private JsonNode json(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw failure(response);
        }
        try {
            return QueueJson.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.SOFTWARE, "the admin API at " + base + " answered " + e.getMessage());
        }
    }

    /** What the CLI says about an answer other than 200, with the exit code a script can test. */
    private CommandFailure failure(HttpResponse<String> response) {
        int status = response.statusCode();
        String said = said(response);
        return switch (status) {
            case 401 -> new CommandFailure(ExitCodes.UNAVAILABLE, "the admin listener at " + base + " refused the request (401): "
                    + (token.isPresent() ? "the token in admin.token-file is not the relay's" : "it wants a token; set admin.token-file"));
            case 400 -> new CommandFailure(ExitCodes.USAGE, said);
            case 404 -> new CommandFailure(ExitCodes.DATA_ERROR, said);
            // A reload the relay refused: the new configuration is at fault.
            case 422 -> new CommandFailure(ExitCodes.CONFIG, "refused, the running configuration stays: " + said);
            default -> new CommandFailure(ExitCodes.UNAVAILABLE, "the admin API at " + base + " answered " + status + ": " + said);
        };
    }

    /** The relay's message: the "error" of a JSON answer, else the body's first line. */
    private static String said(HttpResponse<String> response) {
        try {
            JsonNode error = QueueJson.parse(response.body()).get("error");
            if (error != null && error.isTextual()) {
                return error.asText();
            }
        } catch (IllegalArgumentException e) {
            // not JSON: the text then
        }
        String body = response.body().strip();
        int end = body.indexOf('\n');
        return end < 0 ? body : body.substring(0, end);
    }

    private static InetAddress loopbackV4() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    private static URI base(InetAddress configured, int port) {
        // A listener on every address is reached on loopback.
        InetAddress address = configured;
        if (configured.isAnyLocalAddress()) {
            address = configured instanceof Inet6Address ? InetAddress.getLoopbackAddress() : LOOPBACK_V4;
        }
        String host = address.getHostAddress();
        return URI.create("http://" + (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port + "/");
    }

    /** The file's content without surrounding white space, as the relay reads it. */
    private static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new CommandFailure(ExitCodes.CONFIG, file + " is empty: it should hold the admin token");
            }
            return token;
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.CONFIG, "cannot read the admin token from " + file + ": " + e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
