package dev.mta.security.dns;

import org.xbill.DNS.Message;

/**
 * The one place that decides the DNSSEC status of what a lookup learned.
 *
 * <p>Nothing validates yet, so every answer is {@link DnsSecurity#INSECURE}: its records are
 * used, but nothing in them is authenticated, so no DANE. When validation comes (dnsjava's
 * {@code org.xbill.DNS.dnssec.ValidatingResolver} injected into {@link DnsjavaResolver}), this
 * class reads its verdict instead: the AD bit means SECURE (RFC 4035 3.2.3), a SERVFAIL that
 * carries the validator's reason (an EDE option, RFC 8914) means BOGUS, and a missing trust
 * anchor INDETERMINATE.
 */
final class AnswerSecurity {
    private AnswerSecurity() {
    }

    static DnsSecurity of(Message response) {
        return DnsSecurity.INSECURE;
    }

    /** A question with no answer (timeout, network error, garbage) proves nothing either way. */
    static DnsSecurity unanswered() {
        return DnsSecurity.INDETERMINATE;
    }

    /** A result resting on several answers (a CNAME chain) is as trustworthy as its weakest. */
    static DnsSecurity weakest(DnsSecurity a, DnsSecurity b) {
        return rank(a) <= rank(b) ? a : b;
    }

    private static int rank(DnsSecurity security) {
        return switch (security) {
            case BOGUS -> 0;
            case INDETERMINATE -> 1;
            case INSECURE -> 2;
            case SECURE -> 3;
        };
    }
}
