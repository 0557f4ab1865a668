package dev.mta.security.tlsrpt;

/** The policy a session was held to, as named in the report's {@code policy-type} (RFC 8460 4.4). */
public enum PolicyType {
    /** DANE: usable TLSA records of the MX host (RFC 7672). */
    TLSA("tlsa"),
    /** An MTA-STS policy of the recipient domain (RFC 8461). */
    STS("sts"),
    /** Neither: the session was opportunistic or held only to local policy. */
    NO_POLICY_FOUND("no-policy-found");

    private final String rfcName;

    PolicyType(String rfcName) {
        this.rfcName = rfcName;
    }

    /** The value written to the report. */
    public String rfcName() {
        return rfcName;
    }
}
