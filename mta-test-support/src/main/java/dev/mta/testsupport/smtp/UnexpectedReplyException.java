package dev.mta.testsupport.smtp;

import java.io.IOException;

/** A well-formed reply with a code the client's next step cannot go on from. */
public final class UnexpectedReplyException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient SmtpReply reply;

    public UnexpectedReplyException(String expected, SmtpReply reply) {
        super("expected " + expected + " but the server replied: " + reply.raw().strip());
        this.reply = reply;
    }

    public SmtpReply reply() {
        return reply;
    }
}
