package dev.mta.delivery.tlspolicy;

import dev.mta.delivery.smtpclient.CertificateProblem;
import dev.mta.delivery.smtpclient.PeerVerdict;
import dev.mta.delivery.smtpclient.TlsPolicy;
import dev.mta.security.dane.CertificateUsage;
import dev.mta.security.dane.DaneVerdict;
import dev.mta.security.dane.DaneVerifier;
import dev.mta.security.policy.HopPolicy;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * Authenticated TLS by DANE (RFC 7672 3): STARTTLS mandatory and never a clear-text retry
 * (RFC 7672 2.2), SNI the TLSA base domain (RFC 7672 8.1), the chain judged by the TLSA records.
 */
public record DaneTls(HopPolicy.Dane dane, Clock clock) implements TlsPolicy {

    @Override
    public StartTls startTls() {
        return StartTls.REQUIRED;
    }

    @Override
    public Optional<String> serverName(String mxHost) {
        return Optional.of(dane.baseDomain());
    }

    @Override
    public PeerVerdict verifyPeer(List<X509Certificate> chain, SSLSession session) {
        DaneVerdict verdict = DaneVerifier.verify(dane.records(), chain, dane.referenceIdentifiers(), clock.instant());
        return switch (verdict) {
            case DaneVerdict.Authenticated authenticated ->
                    PeerVerdict.authenticated(authenticated.usage() == CertificateUsage.DANE_EE ? "dane-ee" : "dane-ta");
            case DaneVerdict.Failed failed -> PeerVerdict.reject(failed.summary(), CertificateProblem.TLSA_MISMATCH);
        };
    }

    @Override
    public boolean retryInClearTextAfterHandshakeFailure() {
        return false;
    }

    @Override
    public String toString() {
        return "dane(" + dane.baseDomain() + ")";
    }
}
