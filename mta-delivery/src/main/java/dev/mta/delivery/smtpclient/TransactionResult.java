package dev.mta.delivery.smtpclient;

import java.util.List;
import java.util.Objects;

/** What one {@link SmtpClient#send} came to. */
public sealed interface TransactionResult {

    /**
     * The transaction ran to its end: each recipient has its own reply, in the order of the
     * message's recipients. A recipient refused at RCPT has that reply; an accepted one has the
     * reply to the end of data. When every recipient was refused, no data was sent.
     */
    record Completed(SessionInfo session, List<RecipientResult> recipients) implements TransactionResult {
        public Completed {
            Objects.requireNonNull(session, "session");
            recipients = List.copyOf(recipients);
        }
    }

    /** The connection or the transaction failed at {@code stage}; this applies to every recipient. */
    record Failed(SessionInfo session, Stage stage, DeliveryError error) implements TransactionResult {
        public Failed {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * The server's EHLO reply shows it cannot take this message, decided before MAIL: SIZE below
     * the message size ({@code 5.3.4}), SMTPUTF8 needed and missing ({@code 5.6.7}), an 8-bit body
     * and no 8BITMIME ({@code 5.6.3}; the relay does not downgrade).
     *
     * @param status the RFC 3463 status code for the recipients
     */
    record NotSendable(String status, String reason) implements TransactionResult {
        public NotSendable {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
