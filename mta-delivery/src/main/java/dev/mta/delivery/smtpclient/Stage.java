package dev.mta.delivery.smtpclient;

/** Where in the SMTP conversation something happened; each has its own timeout in {@link SmtpTimeouts}. */
public enum Stage {
    /** Opening the TCP connection. */
    CONNECT("connect"),
    /** Waiting for the 220 greeting (RFC 5321 4.5.3.2.1). */
    GREETING("greeting"),
    EHLO("EHLO command"),
    /** HELO after the server refused EHLO. */
    HELO("HELO command"),
    /** The STARTTLS command and the TLS handshake after it (RFC 3207). */
    STARTTLS("STARTTLS command"),
    AUTH("AUTH command"),
    MAIL("MAIL FROM command"),
    RCPT("RCPT TO command"),
    /** The DATA command, waiting for 354 (RFC 5321 4.5.3.2.4). */
    DATA("DATA command"),
    /** Sending the message content (RFC 5321 4.5.3.2.5, the data block timeout). */
    BODY("message content"),
    /** Waiting for the reply to the final {@code .} (RFC 5321 4.5.3.2.6). */
    END_OF_DATA("end of DATA"),
    RSET("RSET command"),
    QUIT("QUIT command");

    private final String description;

    Stage(String description) {
        this.description = description;
    }

    /** Words for logs and DSN diagnostics: "in reply to " + description. */
    public String description() {
        return description;
    }
}
