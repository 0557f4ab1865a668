package dev.mta.security.dns;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one DNS question, with the DNSSEC status of the answer it rests on (for a
 * CNAME chain, the weakest link's). The four cases are the ones a mail relay must tell apart:
 * records, the name without records of that type (RFC 2308 2.2), no such name (RFC 2308 2.1),
 * and no usable answer at all.
 */
public sealed interface DnsResult<T> {

    DnsSecurity security();

    /** The records, in the order the answer gave them; never empty. */
    record Found<T>(List<T> records, DnsSecurity security) implements DnsResult<T> {
        public Found {
            records = List.copyOf(records);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("Found needs records; an empty answer is NoData");
            }
            Objects.requireNonNull(security, "security");
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
     * error, a malformed answer, or a CNAME loop or overlong chain. {@code reason} says which, for
     * logs and deferral messages; nobody is meant to parse it.
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
