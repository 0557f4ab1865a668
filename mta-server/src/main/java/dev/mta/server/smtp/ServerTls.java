package dev.mta.server.smtp;

import javax.net.ssl.SSLContext;

/** The listeners' TLS: a server context with the protocol versions and cipher suites to enable. */
public record ServerTls(SSLContext context, String[] protocols, String[] cipherSuites) {
}
