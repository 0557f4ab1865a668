package dev.mta.security.dane;

import dev.mta.security.dane.DaneVerdict.Authenticated;
import dev.mta.security.dane.DaneVerdict.Failed;
import dev.mta.security.dane.DaneVerdict.Failure;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * The DANE check of an SMTP server's certificate chain (RFC 7672 3), the third of DANE's three
 * pieces (STYLE.md 6): given the TLSA records, the chain the server presented and the reference
 * identifiers, it decides. It looks nothing up and touches no socket; the caller found the
 * records with DNSSEC and chose the names.
 *
 * <p>The rules, each in the class that applies it:
 * <ul>
 *   <li>only usable records count ({@link TlsaUsability}: RFC 7672 3.1.3, RFC 7671 9);</li>
 *   <li>DANE-EE(3): the leaf, or its public key, matches the record, and that is all: names,
 *       validity dates, issuer and key usage are ignored (RFC 7672 3.1.1, 3.2.1);</li>
 *   <li>DANE-TA(2): a certificate above the leaf matches the record, or the record holds the
 *       anchor in full and the server left it out (RFC 7672 3.1.2, RFC 7671 5.2); the chain
 *       must validate from that anchor down to the leaf ({@link AnchoredPath}); and the leaf
 *       must carry one of the reference identifiers ({@link PresentedNames}: RFC 7672 3.2.2,
 *       3.2.3).</li>
 * </ul>
 * Any usable record that succeeds authenticates the chain (RFC 6698 4.1). DANE-EE records are
 * tried first, being cheaper; otherwise in the order given.
 */
public final class DaneVerifier {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private DaneVerifier() {
    }

    /**
     * @param records              the TLSA RRset as found; unusable records are ignored
     * @param chain                the server's certificates as presented, leaf first
     * @param referenceIdentifiers the names a DANE-TA(2) leaf must match
     * @param now                  the instant validity periods are checked at (DANE-TA(2) only)
     */
    public static DaneVerdict verify(List<TlsaAssociation> records, List<X509Certificate> chain,
                                     ReferenceIdentifiers referenceIdentifiers, Instant now) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(referenceIdentifiers, "referenceIdentifiers");
        Objects.requireNonNull(now, "now");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            return new Failed(Failure.NO_CERTIFICATE, "the server presented no certificate");
        }
        TlsaUsability.Partition partition = TlsaUsability.partition(records);
        if (partition.usable().isEmpty()) {
            return new Failed(Failure.NO_USABLE_RECORDS, "no usable TLSA record: " + (partition.unusable().isEmpty()
                    ? "none given"
                    : partition.unusable().stream().map(u -> u.record().describe() + ": " + u.reason())
                            .collect(Collectors.joining("; "))));
        }
        X509Certificate leaf = chain.getFirst();
        List<TlsaAssociation> eeRecords = withUsage(partition.usable(), CertificateUsage.DANE_EE);
        List<TlsaAssociation> taRecords = withUsage(partition.usable(), CertificateUsage.DANE_TA);

        // RFC 7672 3.1.1: the leaf alone; no names (3.2.1), no dates, no chain.
        for (TlsaAssociation record : eeRecords) {
            if (record.matches(leaf)) {
                return new Authenticated(CertificateUsage.DANE_EE, record, OptionalInt.of(0), Optional.empty());
            }
        }

        Failed furthest = null;
        List<String> unreadableAnchors = new ArrayList<>();
        for (TlsaAssociation record : taRecords) {
            for (DaneTrustAnchor anchor : anchorsFor(record, chain, unreadableAnchors)) {
                DaneVerdict verdict = verifyFromAnchor(record, anchor, chain, referenceIdentifiers, now);
                if (verdict instanceof Authenticated) {
                    return verdict;
                }
                Failed failed = (Failed) verdict;
                if (furthest == null || failed.failure().compareTo(furthest.failure()) > 0) {
                    furthest = failed;
                }
            }
        }
        return furthest != null ? furthest : noMatch(eeRecords, taRecords, chain, unreadableAnchors);
    }

    /**
     * The DANE-TA(2) anchors a record names: certificates above the leaf that it matches (never
     * the leaf itself, which DANE-EE(3) is for: RFC 6698 2.1.1 has the anchor validate the end
     * entity); failing those, the anchor given in full in a Full(0) record (RFC 7671 5.2).
     */
    private static List<DaneTrustAnchor> anchorsFor(TlsaAssociation record, List<X509Certificate> chain,
                                                    List<String> unreadableAnchors) {
        List<DaneTrustAnchor> anchors = new ArrayList<>();
        for (int depth = 1; depth < chain.size(); depth++) {
            if (record.matches(chain.get(depth))) {
                anchors.add(DaneTrustAnchor.inChain(chain.get(depth), depth));
            }
        }
        if (anchors.isEmpty() && record.matchingType() == MatchingType.FULL.code()) {
            try {
                anchors.add(DaneTrustAnchor.fromRecord(record));
            } catch (IllegalArgumentException e) {
                unreadableAnchors.add(record.describe() + ": " + e.getMessage());
            }
        }
        return anchors;
    }

    private static DaneVerdict verifyFromAnchor(TlsaAssociation record, DaneTrustAnchor anchor,
                                                List<X509Certificate> chain, ReferenceIdentifiers references,
                                                Instant now) {
        AnchoredPath.Outcome outcome = AnchoredPath.validate(anchor, chain, now);
        if (outcome instanceof AnchoredPath.Invalid invalid) {
            return new Failed(invalid.failure(), invalid.reason());
        }
        // RFC 7672 3.2.2: with DANE-TA(2) the leaf must match a reference identifier.
        PresentedNames names;
        try {
            names = PresentedNames.of(chain.getFirst());
        } catch (CertificateParsingException e) {
            return new Failed(Failure.NAME_MISMATCH, "the leaf's subjectAltName cannot be read: " + e.getMessage());
        }
        Optional<DaneVerdict.NameMatch> match = names.match(references);
        if (match.isEmpty()) {
            return new Failed(Failure.NAME_MISMATCH, "leaf names " + names.describe()
                    + " do not match reference identifiers " + references);
        }
        return new Authenticated(CertificateUsage.DANE_TA, record, anchor.depth(), match);
    }

    private static Failed noMatch(List<TlsaAssociation> eeRecords, List<TlsaAssociation> taRecords,
                                  List<X509Certificate> chain, List<String> unreadableAnchors) {
        List<String> parts = new ArrayList<>();
        if (!eeRecords.isEmpty()) {
            parts.add("no DANE-EE(3) record matched the leaf certificate (its SPKI SHA2-256 is "
                    + leafSpkiSha256(chain.getFirst()) + ")");
        }
        if (!taRecords.isEmpty()) {
            parts.add(chain.size() == 1
                    ? "no DANE-TA(2) record can match: the server presented only the leaf"
                    : "no DANE-TA(2) record matched a certificate above the leaf (" + (chain.size() - 1)
                            + " presented)");
        }
        for (String unreadable : unreadableAnchors) {
            parts.add("unreadable anchor in " + unreadable);
        }
        return new Failed(Failure.NO_MATCH, "no TLSA record matched: " + String.join("; ", parts));
    }

    private static String leafSpkiSha256(X509Certificate leaf) {
        try {
            return HEX.formatHex(MatchingType.SHA2_256.apply(Selector.SPKI.select(leaf)));
        } catch (CertificateEncodingException e) {
            return "unknown: " + e.getMessage();
        }
    }

    private static List<TlsaAssociation> withUsage(List<TlsaAssociation> records, CertificateUsage usage) {
        return records.stream().filter(record -> record.usage() == usage.code()).toList();
    }
}
