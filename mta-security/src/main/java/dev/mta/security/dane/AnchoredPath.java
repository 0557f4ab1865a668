package dev.mta.security.dane;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Validates the path from a DANE-TA(2) trust anchor down to the leaf: RFC 6698 2.1.1 has the leaf
 * "pass PKIX certification path validation, with any certificate matching the TLSA record
 * considered to be a trust anchor". The JDK's PKIX validator does the RFC 5280 6.1 work
 * (signatures, validity at the given instant, CA flags, path length, key usage of issuers, name
 * constraints, critical extensions); this class finds the path and words the failure.
 *
 * <p>Readings of the RFCs this class embodies:
 * <ul>
 *   <li>The leaf and the intermediates below the anchor must be within their validity period;
 *       the anchor's own validity is not checked, since an anchor is a name and a key
 *       (RFC 5280 6.1.1 (d)), which is also what the JDK and OpenSSL do with trust anchors.</li>
 *   <li>No revocation checks: with DANE the TLSA record's TTL is the revocation mechanism.</li>
 *   <li>The path is built from the presented certificates by issuer name, in any order, since
 *       servers send extra or misordered certificates (RFC 8446 4.4.2 lets TLS 1.3 clients
 *       cope); the leaf is always first.</li>
 * </ul>
 */
final class AnchoredPath {

    /** Longest path tried, anchor excluded; real chains have two or three certificates. */
    private static final int MAX_PATH_LENGTH = 8;
    /** Alternative paths tried when issuer names repeat (cross-signed or renewed intermediates). */
    private static final int MAX_PATHS = 8;

    private AnchoredPath() {
    }

    /** A path was found and validates. */
    record Valid(List<X509Certificate> path) implements Outcome {
    }

    /** No path validates; the failure of the first one tried. */
    record Invalid(DaneVerdict.Failure failure, String reason) implements Outcome {
    }

    sealed interface Outcome permits Valid, Invalid {
    }

    static Outcome validate(DaneTrustAnchor anchor, List<X509Certificate> chain, Instant now) {
        List<List<X509Certificate>> paths = new ArrayList<>();
        boolean[] used = new boolean[chain.size()];
        used[0] = true;
        anchor.depth().ifPresent(depth -> used[depth] = true);
        List<X509Certificate> start = new ArrayList<>();
        start.add(chain.getFirst());
        extend(anchor, chain, start, used, paths);
        if (paths.isEmpty()) {
            return new Invalid(DaneVerdict.Failure.CHAIN_INVALID, anchor.certificate().isPresent()
                    ? "no path from the leaf up to the " + anchor.describe() + ": no certificate presented is issued by it"
                    : "signature: no certificate presented is signed by the " + anchor.describe());
        }
        Invalid first = null;
        for (List<X509Certificate> path : paths) {
            Outcome outcome = pkixValidate(anchor, path, chain, now);
            if (outcome instanceof Valid) {
                return outcome;
            }
            if (first == null) {
                first = (Invalid) outcome;
            }
        }
        return first;
    }

    /** Depth-first over the presented certificates, by issuer name, until the anchor issued the top. */
    private static void extend(DaneTrustAnchor anchor, List<X509Certificate> chain, List<X509Certificate> path,
                               boolean[] used, List<List<X509Certificate>> paths) {
        X509Certificate top = path.getLast();
        if (anchor.isIssuerOf(top)) {
            paths.add(List.copyOf(path));
            return;
        }
        if (path.size() >= MAX_PATH_LENGTH) {
            return;
        }
        for (int i = 1; i < chain.size() && paths.size() < MAX_PATHS; i++) {
            X509Certificate candidate = chain.get(i);
            if (!used[i] && candidate.getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
                used[i] = true;
                path.add(candidate);
                extend(anchor, chain, path, used, paths);
                path.removeLast();
                used[i] = false;
            }
        }
    }

    private static Outcome pkixValidate(DaneTrustAnchor anchor, List<X509Certificate> path,
                                        List<X509Certificate> chain, Instant now) {
        try {
            TrustAnchor trustAnchor = anchor.certificate()
                    .map(certificate -> new TrustAnchor(certificate, null))
                    // A bare key has no name; the top certificate's issuer name stands in for it.
                    .orElseGet(() -> new TrustAnchor(path.getLast().getIssuerX500Principal(), anchor.key(), null));
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(Set.of(trustAnchor));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
            return new Valid(path);
        } catch (CertPathValidatorException e) {
            return invalid(e, path, chain, anchor);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return new Invalid(DaneVerdict.Failure.CHAIN_INVALID, "chain does not validate from the matching "
                    + anchor.describe() + ": " + e.getMessage());
        }
    }

    private static Invalid invalid(CertPathValidatorException e, List<X509Certificate> path,
                                   List<X509Certificate> chain, DaneTrustAnchor anchor) {
        DaneVerdict.Failure failure = DaneVerdict.Failure.CHAIN_INVALID;
        String what;
        if (e.getReason() instanceof BasicReason basic) {
            what = switch (basic) {
                case INVALID_SIGNATURE -> "signature";
                case EXPIRED -> "expired";
                case NOT_YET_VALID -> "not yet valid";
                case ALGORITHM_CONSTRAINED -> "algorithm or key size not accepted";
                default -> e.getMessage();
            };
            if (basic == BasicReason.EXPIRED || basic == BasicReason.NOT_YET_VALID) {
                failure = DaneVerdict.Failure.OUTSIDE_VALIDITY;
            }
        } else if (e.getReason() instanceof PKIXReason pkix) {
            what = switch (pkix) {
                case NOT_CA_CERT -> "an issuer is not a CA";
                case PATH_TOO_LONG -> "path too long for an issuer's path length constraint";
                case INVALID_KEY_USAGE -> "an issuer's key usage does not allow signing certificates";
                case NAME_CHAINING -> "issuer names do not chain";
                case UNRECOGNIZED_CRIT_EXT -> "unrecognized critical extension";
                case INVALID_NAME -> "name constraints";
                case INVALID_POLICY -> "certificate policies";
                default -> e.getMessage();
            };
        } else {
            what = e.getMessage();
        }
        String where = "";
        if (e.getIndex() >= 0 && e.getIndex() < path.size()) {
            X509Certificate failing = path.get(e.getIndex());
            where = " (certificate at depth " + depthOf(failing, chain) + ", "
                    + failing.getSubjectX500Principal().getName() + ")";
        }
        return new Invalid(failure, "chain does not validate from the matching " + anchor.describe() + ": "
                + what + where);
    }

    private static int depthOf(X509Certificate certificate, List<X509Certificate> chain) {
        for (int i = 0; i < chain.size(); i++) {
            if (chain.get(i) == certificate) {
                return i;
            }
        }
        return chain.indexOf(certificate);
    }
}
