package dev.mta.delivery.attempt;

import dev.mta.delivery.smtpclient.SessionInfo;

/**
 * The connection an outcome came from, for the attempt's log line.
 *
 * @param relay {@code mx.example.org[192.0.2.1]:25}, or {@code none} when no connection was made
 * @param tls   how the hop was secured, then the protocol and cipher: {@code none},
 *              {@code encrypted:TLSv1.3:TLS_AES_256_GCM_SHA384} (TLS, server not authenticated),
 *              {@code dane-ta:...}, {@code dane-ee:...}, {@code verified:...}, {@code fingerprint:...}
 */
public record Via(String relay, String tls) {
    public static final Via NONE = new Via("none", "none");

    /**
     * How the hop was secured, without protocol and cipher: {@code dane-ee}, {@code dane-ta},
     * {@code sts}, {@code verified}, {@code fingerprint}, {@code encrypted} or {@code none}.
     */
    public String tlsMode() {
        int colon = tls.indexOf(':');
        return colon < 0 ? tls : tls.substring(0, colon);
    }

    public static Via of(SessionInfo session) {
        String relay = session.mxHost() + "[" + session.address().getAddress().getHostAddress() + "]:" + session.address().getPort();
        String tls = session.tlsProtocol()
                .map(p -> session.peerAuthentication().orElse("encrypted") + ":" + p + ":" + session.tlsCipher().orElse("?"))
                .orElse("none");
        return new Via(relay, tls);
    }
}
