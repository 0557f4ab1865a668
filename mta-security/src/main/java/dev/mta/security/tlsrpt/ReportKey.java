package dev.mta.security.tlsrpt;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.Objects;

/**
 * One report: a policy domain and the UTC day it covers (RFC 8460 4.1, "a full UTC day").
 *
 * @param day          the UTC date
 * @param policyDomain the domain the report goes to, normalised like {@link AppliedPolicy#policyDomain()}
 */
public record ReportKey(LocalDate day, String policyDomain) implements Comparable<ReportKey> {

    private static final Comparator<ReportKey> ORDER =
            Comparator.comparing(ReportKey::day).thenComparing(ReportKey::policyDomain);

    public ReportKey {
        Objects.requireNonNull(day, "day");
        policyDomain = AppliedPolicy.normalize(policyDomain);
    }

    @Override
    public int compareTo(ReportKey other) {
        return ORDER.compare(this, other);
    }
}
