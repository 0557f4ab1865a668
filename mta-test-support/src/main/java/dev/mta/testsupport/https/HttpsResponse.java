package dev.mta.testsupport.https;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link TestHttpsServer} answers to one request.
 *
 * @param status  the HTTP status code
 * @param headers response headers (Content-Length is added by the server)
 * @param body    the body bytes
 * @param delay   how long the server waits before answering
 */
public record HttpsResponse(int status, Map<String, String> headers, byte[] body, Duration delay) {
    public HttpsResponse {
        headers = Map.copyOf(headers);
        body = body.clone();
        Objects.requireNonNull(delay, "delay");
    }

    /** 200 with {@code text/plain} and {@code body} in UTF-8, as an MTA-STS policy is served. */
    public static HttpsResponse policy(String body) {
        return ok("text/plain", body);
    }

    /** 200 with the given content type and body. */
    public static HttpsResponse ok(String contentType, String body) {
        return new HttpsResponse(200, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
    }

    /** A bare status (e.g. 404, 500) with a short text body. */
    public static HttpsResponse status(int status) {
        return new HttpsResponse(status, Map.of("Content-Type", "text/plain"),
                ("status " + status + "\n").getBytes(StandardCharsets.US_ASCII), Duration.ZERO);
    }

    /** A redirect: {@code status} (301, 302, 307, ...) with a Location header. */
    public static HttpsResponse redirect(int status, String location) {
        return new HttpsResponse(status, Map.of("Location", location, "Content-Type", "text/plain"),
                new byte[0], Duration.ZERO);
    }

    /** 200 text/plain whose body is {@code bytes} long: a policy line padded out with comments. */
    public static HttpsResponse huge(int bytes) {
        byte[] body = new byte[bytes];
        Arrays.fill(body, (byte) 'x');
        return new HttpsResponse(200, Map.of("Content-Type", "text/plain"), body, Duration.ZERO);
    }

    /** The same response, sent after {@code delay}. */
    public HttpsResponse delayedBy(Duration delay) {
        return new HttpsResponse(status, headers, body, delay);
    }

    /** The same response with one header added or replaced. */
    public HttpsResponse withHeader(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(headers);
        changed.put(name, value);
        return new HttpsResponse(status, changed, body, delay);
    }

    /** The same response without the named header. */
    public HttpsResponse withoutHeader(String name) {
        Map<String, String> changed = new LinkedHashMap<>(headers);
        changed.remove(name);
        return new HttpsResponse(status, changed, body, delay);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
