package dev.mta.security.tlsrpt;

import dev.mta.security.mtasts.StsPolicy;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The policy a session was held to: the report's {@code policy} object (RFC 8460 4.4). Sessions
 * are counted per applied policy, so two different TLSA sets or STS policy versions of one domain
 * on one day give two entries in that day's report.
 *
 * @param type          which kind of policy
 * @param policyDomain  the domain the policy is for (the recipient domain), lower case, no trailing dot
 * @param policyStrings the TLSA records in presentation form, or the lines of the MTA-STS policy
 *                      (RFC 8460 4.4 {@code policy-string}); empty for no-policy-found
 * @param mxHosts       the {@code mx} patterns of an MTA-STS policy (RFC 8460 4.4 {@code mx-host});
 *                      empty otherwise
 */
public record AppliedPolicy(PolicyType type, String policyDomain, List<String> policyStrings, List<String> mxHosts) {

    public AppliedPolicy {
        Objects.requireNonNull(type, "type");
        policyDomain = normalize(policyDomain);
        policyStrings = List.copyOf(policyStrings);
        mxHosts = List.copyOf(mxHosts);
        if (type == PolicyType.NO_POLICY_FOUND && (!policyStrings.isEmpty() || !mxHosts.isEmpty())) {
            throw new IllegalArgumentException("no-policy-found has no policy strings or MX patterns");
        }
    }

    /** DANE: the usable TLSA records, each as {@code _25._tcp.mx.example. IN TLSA 3 1 1 ...}. */
    public static AppliedPolicy tlsa(String policyDomain, List<String> tlsaRecords) {
        return new AppliedPolicy(PolicyType.TLSA, policyDomain, tlsaRecords, List.of());
    }

    /** MTA-STS: the policy's lines as fetched, and its {@code mx} patterns. */
    public static AppliedPolicy sts(String policyDomain, List<String> policyLines, List<String> mxPatterns) {
        return new AppliedPolicy(PolicyType.STS, policyDomain, policyLines, mxPatterns);
    }

    /**
     * MTA-STS: the policy as the report writes it, one line per key as in the example of
     * RFC 8460 4.4 ({@code version}, {@code mode}, each {@code mx}, {@code max_age}).
     */
    public static AppliedPolicy sts(String policyDomain, StsPolicy policy) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("version: STSv1");
        lines.add("mode: " + policy.mode().token());
        policy.mx().forEach(mx -> lines.add("mx: " + mx));
        lines.add("max_age: " + policy.maxAge().toSeconds());
        return sts(policyDomain, lines, policy.mx());
    }

    /** Neither DANE nor MTA-STS applied. */
    public static AppliedPolicy noPolicyFound(String policyDomain) {
        return new AppliedPolicy(PolicyType.NO_POLICY_FOUND, policyDomain, List.of(), List.of());
    }

    static String normalize(String domain) {
        Objects.requireNonNull(domain, "policyDomain");
        String lower = domain.toLowerCase(Locale.ROOT);
        String bare = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("empty policy domain");
        }
        return bare;
    }
}
