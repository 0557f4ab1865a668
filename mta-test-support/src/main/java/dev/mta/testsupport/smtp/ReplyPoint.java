package dev.mta.testsupport.smtp;

/** The points in a session where a test can script the {@link SmtpSinkServer}'s reply or delay it. */
public enum ReplyPoint {
    /** The 220 greeting when the connection opens. */
    GREETING,
    EHLO,
    HELO,
    /** The reply to the STARTTLS command (220 before the handshake). */
    STARTTLS,
    /** The final reply to AUTH (235 or a refusal). */
    AUTH,
    MAIL,
    /** RCPT for every recipient; {@link SmtpSinkServer#replyToRecipient} still wins for its address. */
    RCPT,
    /** The reply to the DATA command itself (354 to go on). */
    DATA,
    /** The reply after the final {@code .CRLF}. */
    END_OF_DATA,
    RSET,
    QUIT
}
