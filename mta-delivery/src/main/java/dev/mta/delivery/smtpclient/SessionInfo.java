package dev.mta.delivery.smtpclient;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the session was, for the attempt's log line, for DSNs and for TLS reports.
 *
 * @param localAddress    this relay's end of the connection, empty when none was opened
 * @param tlsProtocol     the negotiated protocol from the SSLSession ({@code TLSv1.3}), empty in clear text
 * @param tlsCipher       the negotiated cipher suite, empty in clear text
 * @param peerAuthentication how the policy authenticated the server ({@code dane-ta}, {@code verified}...),
 *                        empty when it did not (clear text, opportunistic or encrypt-only TLS)
 * @param overlookedCertificateProblem what a policy that only observes (MTA-STS testing mode,
 *                        RFC 8461 5) found wrong with the certificate of this accepted session
 * @param clearTextFallback why the TLS handshake of an earlier connection to this host failed, when
 *                        this session is the clear-text retry opportunistic TLS allows (RFC 7672 1.3)
 * @param newSession      whether this transaction opened the connection: the TLS negotiation it
 *                        reports belongs to it, not to an earlier message (RFC 8460 counts sessions)
 * @param serverOffersDsn whether the EHLO reply had DSN (RFC 3461); when not, DSN parameters were
 *                        left out and a NOTIFY=SUCCESS recipient deserves a "relayed" notice
 *                        (RFC 3461 5.2.2.3)
 * @param greeting        the greeting as one line ({@code 220 mx.example.com ESMTP}), empty if none came
 */
public record SessionInfo(String mxHost, InetSocketAddress address, Optional<InetSocketAddress> localAddress,
                          Optional<String> tlsProtocol, Optional<String> tlsCipher, Optional<String> peerAuthentication,
                          Optional<PeerVerdict.Rejected> overlookedCertificateProblem, Optional<String> clearTextFallback,
                          boolean newSession, boolean serverOffersDsn, String greeting) {

    public SessionInfo {
        Objects.requireNonNull(mxHost, "mxHost");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(tlsProtocol, "tlsProtocol");
        Objects.requireNonNull(tlsCipher, "tlsCipher");
        Objects.requireNonNull(peerAuthentication, "peerAuthentication");
        Objects.requireNonNull(overlookedCertificateProblem, "overlookedCertificateProblem");
        Objects.requireNonNull(clearTextFallback, "clearTextFallback");
        Objects.requireNonNull(greeting, "greeting");
    }

    /** Before any greeting: connection failures. */
    static SessionInfo unconnected(Hop hop) {
        return new SessionInfo(hop.mxHost(), hop.address(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), true, false, "");
    }

    /** The same session, noted as the clear-text retry after a failed handshake. */
    SessionInfo afterClearTextFallback(String handshakeFailure) {
        return new SessionInfo(mxHost, address, localAddress, tlsProtocol, tlsCipher, peerAuthentication,
                overlookedCertificateProblem, Optional.of(handshakeFailure), newSession, serverOffersDsn, greeting);
    }

    public boolean encrypted() {
        return tlsProtocol.isPresent();
    }
}
