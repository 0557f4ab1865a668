package dev.mta.security.dane;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The name rules of RFC 7672 3.2.3 (DNS-IDs, else the CN; a wildcard only as a whole left-most
 * label matching one label) for callers outside DANE: the PKIX levels verify and secure check
 * certificates by the same rules.
 */
public final class CertificateNames {
    private CertificateNames() {
    }

    /** The names the leaf presents, as written in it. */
    public static List<String> presented(X509Certificate leaf) throws CertificateParsingException {
        return PresentedNames.of(leaf).names();
    }

    /** The first reference identifier, in the given order, that the leaf presents. */
    public static Optional<String> firstMatch(X509Certificate leaf, List<String> referenceIdentifiers)
            throws CertificateParsingException {
        return PresentedNames.of(leaf).match(ReferenceIdentifiers.of(referenceIdentifiers))
                .map(DaneVerdict.NameMatch::referenceIdentifier);
    }
}
