package dev.mta.delivery.smtpclient;

import java.util.Objects;

/**
 * One recipient's outcome in a {@link TransactionResult.Completed}.
 *
 * @param stage {@link Stage#RCPT} when the server refused the recipient (the reply is the RCPT
 *              reply), {@link Stage#END_OF_DATA} when it accepted it (the reply is the reply to
 *              the end of data, positive or not)
 */
public record RecipientResult(OutboundRecipient recipient, SmtpReply reply, Stage stage) {

    public RecipientResult {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(stage, "stage");
    }

    /** Whether the server took responsibility for the message for this recipient. */
    public boolean delivered() {
        return stage == Stage.END_OF_DATA && reply.isPositiveCompletion();
    }
}
