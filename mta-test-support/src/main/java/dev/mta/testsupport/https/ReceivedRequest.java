package dev.mta.testsupport.https;

import java.util.Optional;

/**
 * One request {@link TestHttpsServer} received.
 *
 * @param serverName the SNI host name the client sent, if any
 * @param host       the Host header without a port, lower case
 * @param method     the HTTP method
 * @param path       the request target as sent
 */
public record ReceivedRequest(Optional<String> serverName, String host, String method, String path) {
}
