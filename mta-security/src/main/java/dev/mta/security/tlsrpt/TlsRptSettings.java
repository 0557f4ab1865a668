package dev.mta.security.tlsrpt;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Configuration of TLS reporting, every default in {@link #of}.
 *
 * @param enabled                    false: nothing is recorded and no report is due
 * @param organizationName           {@code organization-name} of every report (RFC 8460 4.4)
 * @param contactInfo                {@code contact-info}: the mailbox responsible for the reports; also
 *                                   the From of mailed reports, and its domain is the submitter
 *                                   (RFC 8460 5.3: TLS-Report-Submitter matches the contact-info domain)
 * @param sendDelay                  how long after the end of a UTC day its reports become due
 *                                   (RFC 8460 4.1: deliver "after some delay" so collectors are not hit at midnight)
 * @param maxDomainsPerDay           policy domains recorded per day; sessions for more are dropped
 * @param maxPoliciesPerDomain       distinct applied policies per domain and day; sessions beyond are dropped
 * @param maxFailureDetailsPerPolicy distinct failure-details entries per policy; further failures are
 *                                   counted under their result type alone
 */
public record TlsRptSettings(
        boolean enabled,
        String organizationName,
        String contactInfo,
        Duration sendDelay,
        int maxDomainsPerDay,
        int maxPoliciesPerDomain,
        int maxFailureDetailsPerPolicy) {

    public static final Duration DEFAULT_SEND_DELAY = Duration.ofHours(1);
    public static final int DEFAULT_MAX_DOMAINS_PER_DAY = 10_000;
    public static final int DEFAULT_MAX_POLICIES_PER_DOMAIN = 16;
    public static final int DEFAULT_MAX_FAILURE_DETAILS_PER_POLICY = 100;

    public TlsRptSettings {
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(contactInfo, "contactInfo");
        Objects.requireNonNull(sendDelay, "sendDelay");
        if (enabled && organizationName.isBlank()) {
            throw new IllegalArgumentException("TLS reporting needs an organization name");
        }
        int at = contactInfo.lastIndexOf('@');
        if (enabled && (at < 1 || at == contactInfo.length() - 1)) {
            throw new IllegalArgumentException("TLS reporting contact is not a mailbox: " + contactInfo);
        }
        if (sendDelay.isNegative() || maxDomainsPerDay < 1 || maxPoliciesPerDomain < 1 || maxFailureDetailsPerPolicy < 1) {
            throw new IllegalArgumentException("TLS reporting limits must be positive");
        }
    }

    /** Reporting on, with the default delay and limits. */
    public static TlsRptSettings of(String organizationName, String contactInfo) {
        return new TlsRptSettings(true, organizationName, contactInfo, DEFAULT_SEND_DELAY,
                DEFAULT_MAX_DOMAINS_PER_DAY, DEFAULT_MAX_POLICIES_PER_DOMAIN, DEFAULT_MAX_FAILURE_DETAILS_PER_POLICY);
    }

    /** Reporting off. */
    public static TlsRptSettings disabled() {
        return new TlsRptSettings(false, "", "", DEFAULT_SEND_DELAY,
                DEFAULT_MAX_DOMAINS_PER_DAY, DEFAULT_MAX_POLICIES_PER_DOMAIN, DEFAULT_MAX_FAILURE_DETAILS_PER_POLICY);
    }

    public TlsRptSettings withLimits(int maxDomainsPerDay, int maxPoliciesPerDomain, int maxFailureDetailsPerPolicy) {
        return new TlsRptSettings(enabled, organizationName, contactInfo, sendDelay,
                maxDomainsPerDay, maxPoliciesPerDomain, maxFailureDetailsPerPolicy);
    }

    public TlsRptSettings withSendDelay(Duration delay) {
        return new TlsRptSettings(enabled, organizationName, contactInfo, delay,
                maxDomainsPerDay, maxPoliciesPerDomain, maxFailureDetailsPerPolicy);
    }

    /** The reporting domain: the domain of {@link #contactInfo()}, lower case (RFC 8460 5.1 {@code sender}). */
    public String submitter() {
        return contactInfo.substring(contactInfo.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
