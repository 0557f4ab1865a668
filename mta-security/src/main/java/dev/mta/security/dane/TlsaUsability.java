package dev.mta.security.dane;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Splits a TLSA RRset into the records an SMTP client uses and the ones it ignores, each ignored
 * one with the reason, for the verifier and for {@code mta policy}. Both lists keep the order of
 * the RRset.
 *
 * <p>Three filters, in this order (a record is reported with the first that drops it):
 * <ol>
 *   <li>usage: only DANE-TA(2) and DANE-EE(3) (RFC 7672 3.1.3);</li>
 *   <li>selector and matching type this client implements: Cert(0) or SPKI(1), Full(0),
 *       SHA2-256(1) or SHA2-512(2) (RFC 6698 2.1.2, 2.1.3; RFC 7672 3.1.3 lets a client treat
 *       the rest as unusable), with data of the length its matching type implies;</li>
 *   <li>digest algorithm agility (RFC 7671 9): among the records left with the same usage and
 *       selector, digest records weaker than the strongest digest present are ignored, so that
 *       a record published only for older clients cannot be used to downgrade. Full(0) records
 *       are not digests and always stay.</li>
 * </ol>
 * When nothing is usable, RFC 7672 2.2 has the client fall back to unauthenticated TLS; that is
 * the caller's decision, not this class's.
 */
public final class TlsaUsability {

    /** Usages SMTP clients implement (RFC 7672 3.1). */
    private static final Set<CertificateUsage> SMTP_USAGES = EnumSet.of(CertificateUsage.DANE_TA, CertificateUsage.DANE_EE);

    private TlsaUsability() {
    }

    /** The usable records, and the others with the reason each is ignored. */
    public record Partition(List<TlsaAssociation> usable, List<Unusable> unusable) {
        public Partition {
            usable = List.copyOf(usable);
            unusable = List.copyOf(unusable);
        }
    }

    /** A record the client ignores, and why (naming the rule and its RFC section). */
    public record Unusable(TlsaAssociation record, String reason) {
        public Unusable {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public static Partition partition(List<TlsaAssociation> records) {
        Objects.requireNonNull(records, "records");
        List<TlsaAssociation> supported = records.stream()
                .filter(record -> unsupportedBecause(record).isEmpty())
                .toList();
        List<TlsaAssociation> usable = new ArrayList<>();
        List<Unusable> unusable = new ArrayList<>();
        for (TlsaAssociation record : records) {
            Optional<String> reason = unsupportedBecause(record)
                    .or(() -> strongerDigestBeside(record, supported).map(stronger -> ignoredForAgility(record, stronger)));
            if (reason.isPresent()) {
                unusable.add(new Unusable(record, reason.get()));
            } else {
                usable.add(record);
            }
        }
        return new Partition(usable, unusable);
    }

    private static Optional<String> unsupportedBecause(TlsaAssociation record) {
        Optional<CertificateUsage> usage = CertificateUsage.fromCode(record.usage());
        if (usage.isEmpty()) {
            return Optional.of("certificate usage " + record.usage()
                    + " is unknown; SMTP uses only DANE-TA(2) and DANE-EE(3) (RFC 7672 3.1.3)");
        }
        if (!SMTP_USAGES.contains(usage.get())) {
            return Optional.of(usage.get() + " is not used by SMTP clients, which have no trusted CAs"
                    + " to apply it with; only DANE-TA(2) and DANE-EE(3) are (RFC 7672 3.1.3)");
        }
        if (Selector.fromCode(record.selector()).isEmpty()) {
            return Optional.of("selector " + record.selector()
                    + " is unknown; only Cert(0) and SPKI(1) are implemented (RFC 6698 2.1.2)");
        }
        Optional<MatchingType> type = MatchingType.fromCode(record.matchingType());
        if (type.isEmpty()) {
            return Optional.of("matching type " + record.matchingType()
                    + " is unknown; only Full(0), SHA2-256(1) and SHA2-512(2) are implemented (RFC 6698 2.1.3)");
        }
        if (type.get().isDigest() && record.dataLength() != type.get().digestLength()) {
            return Optional.of(type.get() + " data is " + record.dataLength() + " octets, a "
                    + type.get().mnemonic() + " digest is " + type.get().digestLength() + " (RFC 6698 2.1.3)");
        }
        if (!type.get().isDigest() && record.dataLength() == 0) {
            return Optional.of("Full(0) record without association data (RFC 6698 2.1.4)");
        }
        return Optional.empty();
    }

    private static String ignoredForAgility(TlsaAssociation record, MatchingType stronger) {
        return MatchingType.describe(record.matchingType()) + " is ignored because " + stronger
                + " records are published for " + CertificateUsage.describe(record.usage()) + " "
                + Selector.describe(record.selector()) + " (RFC 7671 9, digest algorithm agility)";
    }

    /**
     * The strongest digest among {@code all} with the same usage and selector as {@code record},
     * when it is stronger than {@code record}'s own digest (RFC 7671 9). SHA2-512 is stronger than
     * SHA2-256; Full(0) takes no part.
     */
    private static Optional<MatchingType> strongerDigestBeside(TlsaAssociation record, List<TlsaAssociation> all) {
        MatchingType own = MatchingType.fromCode(record.matchingType()).orElseThrow();
        if (!own.isDigest()) {
            return Optional.empty();
        }
        return all.stream()
                .filter(other -> other.usage() == record.usage() && other.selector() == record.selector())
                .map(other -> MatchingType.fromCode(other.matchingType()).orElseThrow())
                .filter(MatchingType::isDigest)
                .filter(other -> strength(other) > strength(own))
                .max((a, b) -> Integer.compare(strength(a), strength(b)));
    }

    /** The client's preference order of digests (RFC 7671 9 leaves it to the client). */
    private static int strength(MatchingType type) {
        return switch (type) {
            case FULL -> 0;
            case SHA2_256 -> 1;
            case SHA2_512 -> 2;
        };
    }
}
