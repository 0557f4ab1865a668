package dev.mta.delivery.tlspolicy;

import dev.mta.delivery.smtpclient.CertificateProblem;
import dev.mta.delivery.smtpclient.PeerVerdict;
import dev.mta.delivery.smtpclient.TlsPolicy;
import dev.mta.security.policy.Fingerprint;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSession;

/** Level fingerprint: the leaf certificate or its public key must have a pinned digest. */
public record PinnedTls(List<Fingerprint> fingerprints) implements TlsPolicy {

    @Override
    public StartTls startTls() {
        return StartTls.REQUIRED;
    }

    @Override
    public PeerVerdict verifyPeer(List<X509Certificate> chain, SSLSession session) {
        X509Certificate leaf = chain.getFirst();
        for (Fingerprint fingerprint : fingerprints) {
            if (fingerprint.matches(leaf)) {
                return PeerVerdict.authenticated("fingerprint");
            }
        }
        return PeerVerdict.reject("the certificate matches none of the " + fingerprints.size() + " pinned fingerprints",
                CertificateProblem.FINGERPRINT_MISMATCH);
    }

    @Override
    public boolean retryInClearTextAfterHandshakeFailure() {
        return false;
    }

    @Override
    public String toString() {
        return "fingerprint";
    }
}
