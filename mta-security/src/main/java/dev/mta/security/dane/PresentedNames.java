package dev.mta.security.dane;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The names a leaf certificate presents for DANE-TA(2) name checks, and matching them against
 * the reference identifiers (RFC 7672 3.2.3, after RFC 6125 6.4):
 * <ul>
 *   <li>the subjectAltName dNSName entries (DNS-IDs) when there is at least one; the subject
 *       common name (CN-ID) only when there is none, as with certificates made before SAN was
 *       common (other SAN entries, such as IP addresses, are no DNS-IDs);</li>
 *   <li>compared as ASCII, case-insensitively, without a trailing dot;</li>
 *   <li>a wildcard only as the whole left-most label ({@code *.example.com}), matching exactly
 *       one label: not {@code example.com}, not {@code a.b.example.com}. Partial-label
 *       wildcards ({@code mx*.example.com}) and wildcards elsewhere match nothing, and so does a
 *       wildcard directly above a top-level domain ({@code *.com}).</li>
 * </ul>
 *
 * @param names          what the certificate presents, as written in it
 * @param fromCommonName whether these are CN-IDs, because the certificate has no DNS-ID
 */
record PresentedNames(List<String> names, boolean fromCommonName) {

    private static final int SAN_DNS_NAME = 2;

    PresentedNames {
        names = List.copyOf(names);
    }

    static PresentedNames of(X509Certificate leaf) throws CertificateParsingException {
        List<String> dnsIds = new ArrayList<>();
        Collection<List<?>> altNames = leaf.getSubjectAlternativeNames();
        if (altNames != null) {
            for (List<?> entry : altNames) {
                if (entry.size() >= 2 && Integer.valueOf(SAN_DNS_NAME).equals(entry.get(0))
                        && entry.get(1) instanceof String dnsName) {
                    dnsIds.add(dnsName);
                }
            }
        }
        if (!dnsIds.isEmpty()) {
            return new PresentedNames(dnsIds, false);
        }
        return new PresentedNames(commonNames(leaf), true);
    }

    /** The first reference identifier, in their order, that some presented name matches. */
    Optional<DaneVerdict.NameMatch> match(ReferenceIdentifiers references) {
        for (String reference : references.names()) {
            for (String presented : names) {
                if (matches(presented, reference)) {
                    return Optional.of(new DaneVerdict.NameMatch(reference, presented));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code [a, b]}, or {@code CN [a]} when the names are CN-IDs. */
    String describe() {
        return (fromCommonName ? "CN " : "") + names;
    }

    /** {@code reference} is already normalized ({@link ReferenceIdentifiers#normalize}). */
    static boolean matches(String presented, String reference) {
        String name = presented.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 0x7F)) {
            return false;
        }
        if (name.equals(reference)) {
            return true;
        }
        if (!name.startsWith("*.")) {
            // Either no wildcard, or one that is not a whole left-most label: no match.
            return false;
        }
        String parent = name.substring(2);
        if (parent.contains("*") || !parent.contains(".") || parent.startsWith(".") || parent.contains("..")) {
            return false;
        }
        int firstDot = reference.indexOf('.');
        return firstDot > 0 && reference.substring(firstDot + 1).equals(parent);
    }

    private static List<String> commonNames(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                if (BCStyle.CN.equals(value.getType()) && value.getValue() instanceof ASN1String string) {
                    names.add(string.getString());
                }
            }
        }
        return names;
    }
}
