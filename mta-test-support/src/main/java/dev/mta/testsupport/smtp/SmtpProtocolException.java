package dev.mta.testsupport.smtp;

import java.io.IOException;

/** The peer sent something that is not SMTP: a malformed reply line, or mixed reply codes. */
public final class SmtpProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public SmtpProtocolException(String message) {
        super(message);
    }
}
