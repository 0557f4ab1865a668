package dev.mta.security.dns;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one DNS question, with the DNSSEC status of the answer it rests on (for a
 * CNAME chain, the weakest link's). The four cases are the ones a mail relay must tell apart:
 * records, the name without records of that type (RFC 2308 2.2), no such name (RFC 2308 2.1),
 * and no usable answer at all.
 *
 * <p>With DNSSEC on (validate or trust-ad) an answer that is {@link DnsSecurity#BOGUS} or whose
 * validation could not be finished ({@link DnsSecurity#INDETERMINATE}) is never handed out as
 * records or as a denial: it is {@link Failed} with that security, so that a caller who defers on
 * Failed never downgrades. Found, NoData and NxDomain are then SECURE or INSECURE.
 */
public sealed interface DnsResult<T> {

    DnsSecurity security();

    /**
     * The records, in the order the answer gave them; never empty.
     *
     * @param canonicalName where the name asked for was an alias, the name at the end of the
     *                      CNAME chain, which owns the records (lower case, no trailing dot);
     *                      empty when no CNAME was followed. RFC 7672 2.2.3 looks for TLSA records
     *                      there first, and only when every link was secure ({@code security}).
     */
    record Found<T>(List<T> records, DnsSecurity security, Optional<String> canonicalName) implements DnsResult<T> {
        public Found {
            records = List.copyOf(records);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("Found needs records; an empty answer is NoData");
            }
            Objects.requireNonNull(security, "security");
            canonicalName = Objects.requireNonNull(canonicalName, "canonicalName").map(Found::normalised);
        }

        /** Records found at the name asked for, no CNAME followed. */
        public Found(List<T> records, DnsSecurity security) {
            this(records, security, Optional.empty());
        }

        private static String normalised(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        }
    }

    /** The name exists but has no records of the type asked for (NODATA). */
    record NoData<T>(DnsSecurity security) implements DnsResult<T> {
        public NoData {
            Objects.requireNonNull(security, "security");
        }
    }

    /** The name does not exist (RCODE 3, NXDOMAIN), after following any CNAME (RFC 6604 2.1). */
    record NxDomain<T>(DnsSecurity security) implements DnsResult<T> {
        public NxDomain {
            Objects.requireNonNull(security, "security");
        }
    }

    /**
     * No usable answer: SERVFAIL, REFUSED or another error RCODE, no answer in time, a network
     * error, a malformed answer, a CNAME loop or overlong chain, or an answer that failed DNSSEC
     * validation (security BOGUS) or could not be validated (INDETERMINATE). {@code reason} says
     * which, for logs and deferral messages; nobody is meant to parse it.
     */
    record Failed<T>(String reason, DnsSecurity security) implements DnsResult<T> {
        public Failed {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a failure needs a reason");
            }
            Objects.requireNonNull(security, "security");
        }
    }
}
