package dev.mta.security.dane;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What DANE made of a server's certificate chain: authenticated, with what did it, or failed,
 * with why. A failure is never a reason to fall back to weaker checks: with usable TLSA records
 * the hop is DANE or nothing (RFC 7672 2.2).
 */
public sealed interface DaneVerdict {

    /** One line for the delivery log and {@code mta policy}. */
    String summary();

    /**
     * The chain is authenticated.
     *
     * @param usage         DANE-EE(3) or DANE-TA(2)
     * @param record        the TLSA record that matched
     * @param matchedDepth  where in the chain as presented the matching certificate is (0 is the
     *                      leaf, which only DANE-EE matches); empty when a DANE-TA(2) trust anchor
     *                      was given in full in the record and the server left it out of the
     *                      chain (RFC 7671 5.2)
     * @param nameMatch     for DANE-TA(2), the reference identifier the leaf matched and the leaf
     *                      name that matched it; empty for DANE-EE(3), which checks no names
     */
    record Authenticated(CertificateUsage usage, TlsaAssociation record, OptionalInt matchedDepth,
                         Optional<NameMatch> nameMatch) implements DaneVerdict {
        public Authenticated {
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(matchedDepth, "matchedDepth");
            Objects.requireNonNull(nameMatch, "nameMatch");
        }

        @Override
        public String summary() {
            String what = switch (usage) {
                case DANE_EE -> "matched the leaf certificate";
                default -> matchedDepth.isPresent()
                        ? "matched the trust anchor at depth " + matchedDepth.getAsInt()
                        : "gave in full the trust anchor the server left out of its chain";
            };
            String names = nameMatch.map(m -> m.presentedName().equalsIgnoreCase(m.referenceIdentifier())
                    ? "; leaf name " + m.referenceIdentifier()
                    : "; leaf name " + m.presentedName() + " matched " + m.referenceIdentifier()).orElse("");
            return "DANE " + record.describe() + " " + what + names;
        }
    }

    /** The reference identifier (RFC 7672 3.2.2) a leaf matched, and the leaf's name that matched it. */
    record NameMatch(String referenceIdentifier, String presentedName) {
        public NameMatch {
            Objects.requireNonNull(referenceIdentifier, "referenceIdentifier");
            Objects.requireNonNull(presentedName, "presentedName");
        }
    }

    /**
     * The chain is not authenticated.
     *
     * @param failure how far verification got, for TLS reporting and metrics
     * @param reason  what failed, for logs and deferral messages; nobody is meant to parse it
     */
    record Failed(Failure failure, String reason) implements DaneVerdict {
        public Failed {
            Objects.requireNonNull(failure, "failure");
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a failure needs a reason");
            }
        }

        @Override
        public String summary() {
            return "DANE failed: " + reason;
        }
    }

    /**
     * Kinds of failure, from the earliest stage to the latest. When several records fail, the
     * verdict reports the one that got furthest, which is the most telling.
     */
    enum Failure {
        /** Nothing usable in the records given (the caller should not have asked; RFC 7672 2.2). */
        NO_USABLE_RECORDS,
        /** The server presented no certificate. */
        NO_CERTIFICATE,
        /** No record matched the leaf (DANE-EE) or a certificate above it (DANE-TA). */
        NO_MATCH,
        /** A DANE-TA trust anchor matched, but the chain from it to the leaf does not validate. */
        CHAIN_INVALID,
        /** As {@link #CHAIN_INVALID}, because a certificate below the trust anchor is expired or not yet valid. */
        OUTSIDE_VALIDITY,
        /** The chain validates from a DANE-TA trust anchor, but the leaf has none of the reference identifiers. */
        NAME_MISMATCH
    }
}
