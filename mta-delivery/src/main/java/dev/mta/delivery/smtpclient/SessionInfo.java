package dev.mta.delivery.smtpclient;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the session was, for the attempt's log line and for DSNs.
 *
 * @param tlsProtocol     the negotiated protocol from the SSLSession ({@code TLSv1.3}), empty in clear text
 * @param tlsCipher       the negotiated cipher suite, empty in clear text
 * @param peerAuthentication how the policy authenticated the server ({@code dane-ta}, {@code verified}...),
 *                        empty when it did not (clear text, opportunistic or encrypt-only TLS)
 * @param serverOffersDsn whether the EHLO reply had DSN (RFC 3461); when not, DSN parameters were
 *                        left out and a NOTIFY=SUCCESS recipient deserves a "relayed" notice
 *                        (RFC 3461 5.2.2.3)
 * @param greeting        the greeting as one line ({@code 220 mx.example.com ESMTP}), empty if none came
 */
public record SessionInfo(String mxHost, InetSocketAddress address, Optional<String> tlsProtocol,
                          Optional<String> tlsCipher, Optional<String> peerAuthentication,
                          boolean serverOffersDsn, String greeting) {

    public SessionInfo {
        Objects.requireNonNull(mxHost, "mxHost");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tlsProtocol, "tlsProtocol");
        Objects.requireNonNull(tlsCipher, "tlsCipher");
        Objects.requireNonNull(peerAuthentication, "peerAuthentication");
        Objects.requireNonNull(greeting, "greeting");
    }

    /** Before any greeting: connection failures. */
    static SessionInfo unconnected(Hop hop) {
        return new SessionInfo(hop.mxHost(), hop.address(), Optional.empty(), Optional.empty(), Optional.empty(), false, "");
    }

    public boolean encrypted() {
        return tlsProtocol.isPresent();
    }
}
