package dev.mta.delivery.dsn;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything one DSN says: the per-message fields of RFC 3464 2.2, the recipients it reports on, and
 * what the DSN message itself is addressed from and to.
 *
 * @param reportingMta    this relay's host name (Reporting-MTA, RFC 3464 2.2.2; Message-ID domain)
 * @param sender          the reverse path of the original message: the DSN's recipient and To. Never
 *                        empty: nothing is reported to the null sender (RFC 3461 6.1, RFC 5321 4.5.5)
 * @param envelopeId      ENVID of MAIL, xtext-decoded (Original-Envelope-Id, RFC 3461 4.4, RFC 3464 2.2.1)
 * @param arrivalDate     when the original reached the queue (Arrival-Date, RFC 3464 2.2.5)
 * @param queueId         the relay's queue id, for the reader and the relay's log
 * @param recipients      at least one; any mix of actions
 * @param requestedReturn RET of MAIL (RFC 3461 4.3), empty when not given; see
 *                        {@link DsnComposer} for what is actually returned
 * @param international   the original was sent with SMTPUTF8 (RFC 6531): the DSN uses the RFC 6533
 *                        types and itself needs SMTPUTF8
 * @param now             the DSN's Date
 * @param fromAddress     the DSN's From address; {@link #mailerDaemonAt(String)} gives the usual one
 */
public record DsnReport(
        String reportingMta,
        String sender,
        Optional<String> envelopeId,
        Instant arrivalDate,
        String queueId,
        List<DsnRecipient> recipients,
        Optional<ReturnContent> requestedReturn,
        boolean international,
        Instant now,
        String fromAddress) {

    // RFC 1123 host name letters; Reporting-MTA is a "dns" name-type (RFC 3464 2.2.2).
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?");

    public DsnReport {
        Objects.requireNonNull(reportingMta, "reportingMta");
        if (!HOST_NAME.matcher(reportingMta).matches()) {
            throw new IllegalArgumentException("reporting MTA must be a host name: " + reportingMta);
        }
        Objects.requireNonNull(sender, "sender");
        if (sender.isBlank()) {
            throw new IllegalArgumentException("no DSN is sent to the null sender (RFC 3461 6.1)");
        }
        if (!international && !FieldText.isAscii(sender)) {
            throw new IllegalArgumentException("a non-ASCII sender implies an SMTPUTF8 original: " + sender);
        }
        Objects.requireNonNull(envelopeId, "envelopeId");
        Objects.requireNonNull(arrivalDate, "arrivalDate");
        Objects.requireNonNull(queueId, "queueId");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a DSN reports on at least one recipient (RFC 3464 2)");
        }
        Objects.requireNonNull(requestedReturn, "requestedReturn");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(fromAddress, "fromAddress");
        if (fromAddress.isBlank()) {
            throw new IllegalArgumentException("a DSN needs a From address");
        }
    }

    /** "MAILER-DAEMON@host": the conventional From of a DSN, which replies reach as postmaster mail. */
    public static String mailerDaemonAt(String hostName) {
        return "MAILER-DAEMON@" + hostName;
    }

    /**
     * The action that decides the subject and whether the message may come back whole: a failure
     * outweighs a delay, a delay outweighs a success.
     */
    DsnAction headline() {
        for (DsnAction action : DsnAction.values()) {
            if (recipients.stream().anyMatch(r -> r.action() == action)) {
                return action;
            }
        }
        throw new IllegalStateException("no recipients");
    }
}
