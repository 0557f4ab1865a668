package dev.mta.server.smtp;

import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;

/**
 * SMTP replies with their RFC 3463 enhanced status codes. Each refusal says what was wrong so a
 * postmaster reading a client's log knows what to fix.
 */
final class Replies {
    private Replies() {
    }

    static SMTPResponse reply(int code, String enhanced, String text) {
        return new SMTPResponse(String.valueOf(code), enhanced + " " + text);
    }

    /** 421 and the end of the session: the client's address failed AUTH too often lately. */
    static Response tooManyAuthFailures(String hostname) {
        SMTPResponse response = reply(421, "4.7.0", hostname + " Error: too many failed authentications, try later");
        response.setEndSession(true);
        return response.immutable();
    }

    /** 421 and the end of the session: the client has had smtp.max-errors error replies. */
    static Response tooManyErrors(String hostname) {
        SMTPResponse response = reply(421, "4.7.0", hostname + " Error: too many errors");
        response.setEndSession(true);
        return response.immutable();
    }

    /** 421 and the end of the session: the client sent smtp.max-junk-commands commands that move no mail. */
    static Response tooManyJunkCommands(String hostname) {
        SMTPResponse response = reply(421, "4.7.0", hostname + " Error: too many junk commands");
        response.setEndSession(true);
        return response.immutable();
    }

    /** 421 and the end of the session: the relay is stopping (RFC 5321 3.8). */
    static Response shuttingDown(String hostname) {
        SMTPResponse response = reply(421, "4.3.2", hostname + " Service shutting down, try again later");
        response.setEndSession(true);
        return response.immutable();
    }

    static final Response NEED_HELO = reply(503, "5.5.1", "Send EHLO or HELO first").immutable();
    static final Response NEED_MAIL = reply(503, "5.5.1", "Send MAIL FROM first").immutable();
    static final Response NEED_RCPT = reply(503, "5.5.1", "Send RCPT TO first").immutable();
    static final Response NO_VALID_RECIPIENTS = reply(554, "5.5.1", "No valid recipients").immutable();
    static final Response NESTED_MAIL = reply(503, "5.5.1", "Sender already given; RSET to start over").immutable();
    static final Response DATA_ARGUMENT = reply(501, "5.5.4", "DATA takes no argument").immutable();
    static final Response MAIL_SYNTAX = reply(501, "5.5.4", "Syntax: MAIL FROM:<address> [parameters]").immutable();
    static final Response RCPT_SYNTAX = reply(501, "5.5.4", "Syntax: RCPT TO:<address> [parameters]").immutable();
    static final Response TOO_MANY_RECIPIENTS = reply(452, "4.5.3", "Too many recipients").immutable();
    static final Response RELAY_DENIED = reply(554, "5.7.1", "Relay access denied").immutable();
    static final Response NO_STORAGE = reply(452, "4.3.1", "Insufficient system storage, try again later").immutable();
    static final Response STORE_FAILED = reply(451, "4.3.0", "Local error in processing, try again later").immutable();
    static final Response START_DATA = new SMTPResponse("354", "End data with <CR><LF>.<CR><LF>").immutable();
    static final Response LINE_TOO_LONG = reply(500, "5.5.2", "Line too long").immutable();
    static final Response BAD_COMMAND_BYTES = reply(500, "5.5.2", "Invalid characters in command").immutable();
    static final Response UNKNOWN_COMMAND = reply(500, "5.5.1", "Command unrecognized").immutable();
}
