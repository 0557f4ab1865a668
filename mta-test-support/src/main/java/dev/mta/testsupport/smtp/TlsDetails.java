package dev.mta.testsupport.smtp;

import java.util.Optional;

/**
 * What the sink saw of a TLS session.
 *
 * @param serverName the SNI host name the client sent, if any
 */
public record TlsDetails(String protocol, String cipherSuite, Optional<String> serverName) {
}
