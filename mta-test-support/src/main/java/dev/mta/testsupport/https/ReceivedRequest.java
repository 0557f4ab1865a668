package dev.mta.testsupport.https;

import java.util.Optional;

/**
 * One request {@link TestHttpsServer} received.
 *
 * @param serverName the SNI host name the client sent, if any
 * @param host       the Host header without a port, lower case
 * @param method     the HTTP method
 * @param path       the request target as sent
 * @param contentType the Content-Type header, if any
 * @param body       the request body, empty for none
 */
public record ReceivedRequest(Optional<String> serverName, String host, String method, String path,
                              Optional<String> contentType, byte[] body) {

    public ReceivedRequest {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
