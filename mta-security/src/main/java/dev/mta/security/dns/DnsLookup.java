package dev.mta.security.dns;

import java.util.Objects;

/**
 * One lookup a resolver served, as {@link DnsLookupObserver} is told of it: the facts metrics
 * count DNS traffic by (issue 7: lookups by DNSSEC status and rcode). Nothing here names the
 * domain asked for, so every field takes few values and may serve as a meter tag.
 *
 * @param type      the query type, as DNS writes it: {@code MX}, {@code A}, {@code AAAA},
 *                  {@code TLSA}, {@code TXT}
 * @param rcode     the RCODE of the answer the result rests on (for a CNAME chain, the last one
 *                  asked), by its mnemonic: {@code NOERROR}, {@code NXDOMAIN}, {@code SERVFAIL},
 *                  {@code REFUSED}, ... (RFC 1035 4.1.1, RFC 6895 2.3); or, when no answer came,
 *                  one of {@link #TIMEOUT}, {@link #NETWORK_ERROR}, {@link #MALFORMED},
 *                  {@link #CLIENT_ERROR}, {@link #INTERRUPTED}. An answer that failed validation
 *                  is {@code SERVFAIL} (dnsjava's validator answers so, as a validating
 *                  recursive resolver does, RFC 4035 5.5) with security {@code BOGUS}.
 * @param security  the DNSSEC status of the result, the same as {@link DnsResult#security()}
 * @param fromCache true when every answer the lookup needed came from the resolver's cache and
 *                  no server was asked
 */
public record DnsLookup(String type, String rcode, DnsSecurity security, boolean fromCache) {
    /** No answer within the question's time limit. */
    public static final String TIMEOUT = "TIMEOUT";
    /** No answer: the server could not be reached (port unreachable, connection refused or reset). */
    public static final String NETWORK_ERROR = "NETWORK_ERROR";
    /** An answer came that could not be parsed. */
    public static final String MALFORMED = "MALFORMED";
    /** No answer: the DNS library failed on its own side. */
    public static final String CLIENT_ERROR = "CLIENT_ERROR";
    /** The thread asking was interrupted (the relay is stopping) before the answer came. */
    public static final String INTERRUPTED = "INTERRUPTED";

    public DnsLookup {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(rcode, "rcode");
        Objects.requireNonNull(security, "security");
    }
}
