package dev.mta.testsupport.smtp;

/** How a sink that advertises STARTTLS without a working TLS set-up spoils the handshake. */
public enum TlsHandshakeFailure {
    /** Answers 220 to STARTTLS, then closes the connection instead of a ServerHello. */
    CLOSE,
    /** Answers 220 to STARTTLS, then sends clear text where the ServerHello belongs, and closes. */
    GARBAGE
}
