package dev.mta.delivery.dsn;

/**
 * How much of the original message a DSN carries: the RET parameter of MAIL (RFC 3461 4.3) as the
 * sender asked for it, and, in {@link ComposedDsn#returned()}, what the DSN actually carries.
 */
public enum ReturnContent {
    /** The whole message (RET=FULL): a message/rfc822 or message/global part. */
    FULL,
    /** The header section only (RET=HDRS): a text/rfc822-headers or message/global-headers part. */
    HEADERS
}
