package dev.mta.delivery.tlspolicy;

import dev.mta.delivery.smtpclient.CertificateProblem;
import dev.mta.delivery.smtpclient.PeerVerdict;
import dev.mta.delivery.smtpclient.TlsPolicy;
import dev.mta.security.dane.CertificateNames;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;

/**
 * PKIX (levels verify and secure): the chain must lead to a trusted CA and the leaf must carry
 * one of the names; a name written {@code .example.com} accepts any subdomain (Postfix's match
 * syntax). STARTTLS mandatory, no clear-text retry.
 */
public record VerifiedTls(Set<String> names, X509TrustManager trust, String label) implements TlsPolicy {

    /** The verify and secure levels; the log line says {@code verified}. */
    public VerifiedTls(Set<String> names, X509TrustManager trust) {
        this(names, trust, "verified");
    }

    @Override
    public StartTls startTls() {
        return StartTls.REQUIRED;
    }

    @Override
    public PeerVerdict verifyPeer(List<X509Certificate> chain, SSLSession session) {
        try {
            trust.checkServerTrusted(chain.toArray(X509Certificate[]::new), "UNKNOWN");
        } catch (CertificateException | IllegalArgumentException e) {
            return expired(e)
                    ? PeerVerdict.reject("the certificate has expired or is not yet valid: " + e.getMessage(), CertificateProblem.EXPIRED)
                    : PeerVerdict.reject("the certificate chain is not trusted: " + e.getMessage(), CertificateProblem.NOT_TRUSTED);
        }
        X509Certificate leaf = chain.getFirst();
        try {
            List<String> exact = new ArrayList<>();
            for (String name : names) {
                if (!name.startsWith(".")) {
                    exact.add(name);
                }
            }
            if (!exact.isEmpty() && CertificateNames.firstMatch(leaf, exact).isPresent()) {
                return PeerVerdict.authenticated(label);
            }
            for (String presented : CertificateNames.presented(leaf)) {
                String lower = presented.toLowerCase(Locale.ROOT);
                for (String name : names) {
                    if (name.startsWith(".") && lower.endsWith(name.toLowerCase(Locale.ROOT))) {
                        return PeerVerdict.authenticated(label);
                    }
                }
            }
            return PeerVerdict.reject("the certificate names " + CertificateNames.presented(leaf) + " match none of " + names,
                    CertificateProblem.NAME_MISMATCH);
        } catch (java.security.cert.CertificateParsingException e) {
            return PeerVerdict.reject("cannot read the certificate's names: " + e.getMessage(), CertificateProblem.NAME_MISMATCH);
        }
    }

    /**
     * Whether PKIX refused the chain for a validity period (RFC 8460 4.3.1 certificate-expired
     * rather than certificate-not-trusted). The JDK wraps the reason a few levels deep.
     */
    private static boolean expired(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.security.cert.CertificateExpiredException
                    || cause instanceof java.security.cert.CertificateNotYetValidException) {
                return true;
            }
            if (cause instanceof java.security.cert.CertPathValidatorException invalid
                    && (invalid.getReason() == java.security.cert.CertPathValidatorException.BasicReason.EXPIRED
                    || invalid.getReason() == java.security.cert.CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean retryInClearTextAfterHandshakeFailure() {
        return false;
    }

    @Override
    public String toString() {
        return label + names;
    }
}
