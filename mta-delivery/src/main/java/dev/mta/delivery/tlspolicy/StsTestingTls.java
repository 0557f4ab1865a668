package dev.mta.delivery.tlspolicy;

import dev.mta.delivery.smtpclient.PeerVerdict;
import dev.mta.delivery.smtpclient.TlsPolicy;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * MTA-STS in testing mode (RFC 8461 5): TLS exactly as opportunistic (STARTTLS when offered, any
 * certificate, a clear-text retry after a failed handshake), while the certificate is judged as
 * enforce mode would judge it, so that the TLS report can say what enforce mode would have refused.
 */
public record StsTestingTls(VerifiedTls enforceModeCheck) implements TlsPolicy {

    @Override
    public StartTls startTls() {
        return StartTls.IF_OFFERED;
    }

    @Override
    public PeerVerdict verifyPeer(List<X509Certificate> chain, SSLSession session) {
        return switch (enforceModeCheck.verifyPeer(chain, session)) {
            case PeerVerdict.Accepted ignored -> PeerVerdict.accept();
            case PeerVerdict.Rejected rejected -> PeerVerdict.acceptDespite(rejected);
        };
    }

    @Override
    public String toString() {
        return "sts-testing" + enforceModeCheck.names();
    }
}
