package dev.mta.testsupport.smtp;

/** ESMTP extensions the {@link SmtpSinkServer} advertises unless told to omit them. */
public enum SinkExtension {
    PIPELINING("PIPELINING"),
    EIGHT_BIT_MIME("8BITMIME"),
    SMTPUTF8("SMTPUTF8"),
    ENHANCED_STATUS_CODES("ENHANCEDSTATUSCODES"),
    SIZE("SIZE"),
    DSN("DSN"),
    /** RFC 8689: advertised only once the session is encrypted. */
    REQUIRETLS("REQUIRETLS");

    private final String keyword;

    SinkExtension(String keyword) {
        this.keyword = keyword;
    }

    /** The EHLO keyword (RFC 5321 4.1.1.1). */
    public String keyword() {
        return keyword;
    }
}
