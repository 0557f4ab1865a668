package dev.mta.delivery.smtpclient;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One mail transaction over an opened session (RFC 5321 3.3): MAIL, one RCPT per recipient,
 * DATA, the content, and the reply to its end. With PIPELINING (RFC 2920) MAIL, every RCPT and
 * DATA go out in one flush and the replies are read in order; without it, in lock-step. When no
 * recipient is accepted, no content is sent.
 *
 * <p>It ends with the result and whether the session is fit for another transaction; when a
 * transaction was left open (MAIL accepted, no content sent) it says RSET first (RFC 5321 4.1.1.5).
 */
final class MailTransaction implements SmtpConnection.Conversation {
    // RFC 5321 3.8: the server is closing the connection.
    private static final int SERVICE_CLOSING = 421;

    /**
     * @param reusable     the session is in a clean state for another transaction
     * @param staleSession the session broke right at MAIL (closed, or 421): on a reused session
     *                     that means it died while idle, and a new connection may be tried
     */
    record Outcome(TransactionResult result, boolean reusable, boolean staleSession) {
    }

    /** What to do with the session once the result is known. */
    private enum Cleanup {
        NONE, RSET, CLOSE
    }

    private final SmtpConnection connection;
    private final OutboundMessage message;
    private final boolean pipelining;
    private final SmtpReply[] recipientReplies;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private SmtpReply mailReply;

    MailTransaction(SmtpConnection connection, OutboundMessage message) {
        this.connection = connection;
        this.message = message;
        this.pipelining = connection.extensions().pipelining();
        this.recipientReplies = new SmtpReply[message.recipients().size()];
    }

    CompletableFuture<Outcome> start() {
        connection.begin(this);
        ServerExtensions server = connection.extensions();
        if (pipelining) {
            // RFC 2920 3.1: MAIL, RCPT and DATA in one group; DATA is the last command in it.
            connection.write(EnvelopeCommands.mailFrom(message, server), Stage.MAIL, this::onMail);
            for (int i = 0; i < recipientReplies.length; i++) {
                int index = i;
                connection.write(EnvelopeCommands.rcptTo(message.recipients().get(i), server), Stage.RCPT,
                        reply -> onRecipient(index, reply));
            }
            connection.write(SmtpCommand.of("DATA"), Stage.DATA, this::onData);
            connection.flush();
        } else {
            connection.send(EnvelopeCommands.mailFrom(message, server), Stage.MAIL, this::onMail);
        }
        return outcome;
    }

    @Override
    public void failed(Stage stage, DeliveryError error) {
        boolean stale = stage == Stage.MAIL && error instanceof DeliveryError.ConnectionLost;
        outcome.complete(new Outcome(failure(stage, error), false, stale));
    }

    private void onMail(SmtpReply reply) {
        mailReply = reply;
        if (reply.code() == SERVICE_CLOSING) {
            finish(failure(Stage.MAIL, new DeliveryError.Reply(reply)), Cleanup.CLOSE, true);
        } else if (!pipelining) {
            if (reply.isPositiveCompletion()) {
                sendRecipient(0);
            } else {
                finish(failure(Stage.MAIL, new DeliveryError.Reply(reply)), Cleanup.NONE, false);
            }
        }
    }

    private void sendRecipient(int index) {
        connection.send(EnvelopeCommands.rcptTo(message.recipients().get(index), connection.extensions()),
                Stage.RCPT, reply -> onRecipient(index, reply));
    }

    private void onRecipient(int index, SmtpReply reply) {
        recipientReplies[index] = reply;
        if (reply.code() == SERVICE_CLOSING) {
            finish(failure(Stage.RCPT, new DeliveryError.Reply(reply)), Cleanup.CLOSE, false);
        } else if (!pipelining) {
            if (index + 1 < recipientReplies.length) {
                sendRecipient(index + 1);
            } else if (anyRecipientAccepted()) {
                connection.send(SmtpCommand.of("DATA"), Stage.DATA, this::onData);
            } else {
                finish(refusedAtRcpt(), Cleanup.RSET, false);
            }
        }
    }

    private void onData(SmtpReply reply) {
        if (reply.code() == SERVICE_CLOSING) {
            finish(failure(Stage.DATA, new DeliveryError.Reply(reply)), Cleanup.CLOSE, false);
            return;
        }
        boolean mailAccepted = mailReply.isPositiveCompletion();
        if (!mailAccepted || !anyRecipientAccepted()) {
            // Only under pipelining, where DATA went out before the replies were known.
            TransactionResult result = mailAccepted ? refusedAtRcpt()
                    : failure(Stage.MAIL, new DeliveryError.Reply(mailReply));
            if (reply.isPositiveIntermediate()) {
                // RFC 2920 3.1: a server that says 354 anyway gets an empty message ended at once.
                connection.send(SmtpCommand.of("."), Stage.END_OF_DATA, end -> finish(result, Cleanup.RSET, false));
            } else {
                finish(result, mailAccepted ? Cleanup.RSET : Cleanup.NONE, false);
            }
            return;
        }
        if (reply.code() != 354) {
            finish(failure(Stage.DATA, new DeliveryError.Reply(reply)), Cleanup.RSET, false);
            return;
        }
        InputStream content;
        try {
            content = message.body().open();
        } catch (IOException | RuntimeException e) {
            // The server waits for content; closing without the final dot makes it drop the message.
            finish(failure(Stage.BODY, new DeliveryError.BodyUnreadable(SmtpConnection.describe(e))),
                    Cleanup.CLOSE, false);
            return;
        }
        connection.sendBody(content, this::onEndOfData);
    }

    private void onEndOfData(SmtpReply reply) {
        boolean early = connection.bodyInFlight();
        if (early && reply.isPositive()) {
            // Nobody may accept a message before its end; whatever this server took, it was not it.
            finish(failure(Stage.BODY, new DeliveryError.Protocol("reply before the end of the data: " + reply)),
                    Cleanup.CLOSE, false);
            return;
        }
        List<RecipientResult> results = new ArrayList<>();
        for (int i = 0; i < recipientReplies.length; i++) {
            OutboundRecipient recipient = message.recipients().get(i);
            results.add(recipientReplies[i].isPositiveCompletion()
                    ? new RecipientResult(recipient, reply, Stage.END_OF_DATA)
                    : new RecipientResult(recipient, recipientReplies[i], Stage.RCPT));
        }
        // A refusal before the content was all out (a server giving up mid-stream) leaves the
        // rest of the content on the wire: that session is over.
        boolean clean = !early && reply.code() != SERVICE_CLOSING;
        finish(new TransactionResult.Completed(connection.sessionInfo(), results),
                clean ? Cleanup.NONE : Cleanup.CLOSE, false);
    }

    private boolean anyRecipientAccepted() {
        for (SmtpReply reply : recipientReplies) {
            if (reply != null && reply.isPositiveCompletion()) {
                return true;
            }
        }
        return false;
    }

    /** Every recipient refused: each with its RCPT reply. */
    private TransactionResult refusedAtRcpt() {
        List<RecipientResult> results = new ArrayList<>();
        for (int i = 0; i < recipientReplies.length; i++) {
            results.add(new RecipientResult(message.recipients().get(i), recipientReplies[i], Stage.RCPT));
        }
        return new TransactionResult.Completed(connection.sessionInfo(), results);
    }

    private TransactionResult.Failed failure(Stage stage, DeliveryError error) {
        return new TransactionResult.Failed(connection.sessionInfo(), stage, error);
    }

    private void finish(TransactionResult result, Cleanup cleanup, boolean staleSession) {
        switch (cleanup) {
            case NONE -> {
                connection.end();
                outcome.complete(new Outcome(result, true, staleSession));
            }
            case CLOSE -> {
                connection.close();
                outcome.complete(new Outcome(result, false, staleSession));
            }
            case RSET -> {
                // The result stands whatever RSET gets; RSET only decides whether the session is reused.
                connection.begin((stage, error) -> outcome.complete(new Outcome(result, false, false)));
                connection.send(SmtpCommand.of("RSET"), Stage.RSET, reply -> {
                    connection.end();
                    outcome.complete(new Outcome(result, reply.isPositiveCompletion(), false));
                });
            }
        }
    }
}
