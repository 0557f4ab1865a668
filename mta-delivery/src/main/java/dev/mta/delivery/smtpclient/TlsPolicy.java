package dev.mta.delivery.smtpclient;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * How one hop uses STARTTLS (RFC 3207): whether to, which name to send in SNI, and whether the
 * server's certificate is good enough. The handshake itself accepts any certificate; the policy
 * judges the chain afterwards with {@link #verifyPeer}, which is where DANE (RFC 7672) and PKIX
 * with name checks (MTA-STS, RFC 8461) plug in.
 *
 * <p>Policies are part of a {@link Hop}'s identity for connection reuse, so implementations
 * should compare by value (records do).
 */
public interface TlsPolicy {

    /** When STARTTLS is used. */
    enum StartTls {
        /** Never, even when offered. */
        NEVER,
        /** When the server offers it; without it the session goes on in clear text. */
        IF_OFFERED,
        /**
         * Always: a server that does not offer it fails with {@link DeliveryError.TlsRequired},
         * a refused STARTTLS or failed handshake fails the hop, never a clear-text fallback.
         */
        REQUIRED
    }

    StartTls startTls();

    /**
     * The SNI host name (RFC 6066 3) for this MX host: the MX host itself unless the policy knows
     * better (DANE sends the TLSA base domain, RFC 7672 8.1). Empty sends no SNI.
     */
    default Optional<String> serverName(String mxHost) {
        return Optional.of(mxHost);
    }

    /**
     * Judges the server after a successful handshake: its chain (leaf first) and the session.
     * Called on a network thread; must not block on I/O.
     */
    default PeerVerdict verifyPeer(List<X509Certificate> chain, SSLSession session) {
        return PeerVerdict.accept();
    }

    /**
     * Whether a failed handshake may be followed by one more attempt to the same host in clear
     * text on a new connection. Only for unauthenticated TLS (RFC 7672 1.3); by default, for
     * {@link StartTls#IF_OFFERED}.
     */
    default boolean retryInClearTextAfterHandshakeFailure() {
        return startTls() == StartTls.IF_OFFERED;
    }

    /** Never STARTTLS. */
    static TlsPolicy none() {
        return BasicTlsPolicy.NONE;
    }

    /**
     * STARTTLS when offered, any certificate accepted, SNI the MX host; after a failed handshake
     * the host is tried once more in clear text (RFC 7672 1.3 allows this for opportunistic TLS).
     */
    static TlsPolicy opportunistic() {
        return BasicTlsPolicy.OPPORTUNISTIC;
    }
}
