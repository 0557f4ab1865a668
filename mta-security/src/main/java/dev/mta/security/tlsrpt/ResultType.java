package dev.mta.security.tlsrpt;

/** Why a session failed, as named in the report's {@code result-type} (RFC 8460 4.3). */
public enum ResultType {
    // RFC 8460 4.3.1 negotiation failures
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    CERTIFICATE_EXPIRED("certificate-expired"),
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    /** The catch-all; RFC 8460 4.3.4 asks for a failure-reason-code with it. */
    VALIDATION_FAILURE("validation-failure"),
    // RFC 8460 4.3.2 policy failures, DANE
    TLSA_INVALID("tlsa-invalid"),
    DNSSEC_INVALID("dnssec-invalid"),
    DANE_REQUIRED("dane-required"),
    // RFC 8460 4.3.2 policy failures, MTA-STS
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    STS_POLICY_INVALID("sts-policy-invalid"),
    STS_WEBPKI_INVALID("sts-webpki-invalid");

    private final String rfcName;

    ResultType(String rfcName) {
        this.rfcName = rfcName;
    }

    /** The value written to the report. */
    public String rfcName() {
        return rfcName;
    }
}
