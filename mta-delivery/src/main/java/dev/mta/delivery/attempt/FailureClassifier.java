package dev.mta.delivery.attempt;

import dev.mta.delivery.smtpclient.DeliveryError;
import dev.mta.delivery.smtpclient.SessionInfo;
import dev.mta.delivery.smtpclient.SmtpReply;
import dev.mta.delivery.smtpclient.Stage;
import dev.mta.queue.Diagnosis;

/**
 * The one place that decides what a failed session means (STYLE 3, after Postfix's
 * smtp_trouble.c): try the next host, defer the message, or bounce it. It switches over the
 * client's typed errors; it never reads exception messages.
 */
public final class FailureClassifier {
    private FailureClassifier() {
    }

    public static HopVerdict classify(SessionInfo session, Stage stage, DeliveryError error) {
        String host = session.mxHost() + "[" + session.address().getAddress().getHostAddress() + "]:" + session.address().getPort();
        return switch (error) {
            case DeliveryError.ConnectFailed failed ->
                    next("4.4.1", "connect to " + host + ": " + failed.reason());
            // RFC 3463 X.4.1: a connection attempt nobody answered is "no answer from host";
            // X.4.2 (bad connection) is for a connection that was established.
            case DeliveryError.Timeout timeout when timeout.stage() == Stage.CONNECT ->
                    next("4.4.1", "connect to " + host + ": no answer within the connect timeout");
            // A server that takes the connection but never greets has not answered the call
            // either (X.4.1); the scheduler suspends such a destination (DeadDestinations).
            case DeliveryError.Timeout timeout when timeout.stage() == Stage.GREETING ->
                    next("4.4.1", "timeout in the greeting stage with " + host);
            case DeliveryError.ConnectionLost lost when lost.stage() == Stage.GREETING ->
                    next("4.4.1", "lost connection with " + host + " during the greeting");
            // Once the final "." may have reached the server, another host could deliver a
            // second copy: defer instead (RFC 5321 4.5.3.2.6 accepts the rare duplicate this
            // still allows, not a systematic one).
            case DeliveryError.Timeout timeout -> afterData(timeout.stage())
                    ? new HopVerdict.DeferAll(Diagnosis.local("4.4.2", "timeout waiting for the " + timeout.stage().description() + " reply from " + host))
                    : next("4.4.2", "timeout in the " + timeout.stage().description() + " stage with " + host);
            case DeliveryError.ConnectionLost lost -> afterData(lost.stage())
                    ? new HopVerdict.DeferAll(Diagnosis.local("4.4.2", "lost connection with " + host + " during the " + lost.stage().description()))
                    : next("4.4.2", "lost connection with " + host + " during the " + lost.stage().description());
            // RFC 7672 2.2 / RFC 8461 5: a hop that fails its TLS requirement is skipped, never used in clear text.
            case DeliveryError.TlsFailed failed -> next("4.7.5", "TLS with " + host + " failed: " + failed.reason());
            case DeliveryError.TlsRequired ignored -> next("4.7.4", host + " does not offer STARTTLS, which this route requires");
            case DeliveryError.AuthUnavailable unavailable -> next("4.7.8", "cannot authenticate to " + host + ": " + unavailable.reason());
            case DeliveryError.Protocol protocol -> next("4.5.0", "protocol error with " + host + ": " + protocol.reason());
            case DeliveryError.BodyUnreadable unreadable ->
                    new HopVerdict.DeferAll(Diagnosis.local("4.3.0", "cannot read the queued message: " + unreadable.reason()));
            case DeliveryError.Reply reply -> fromReply(session, stage, reply.reply());
        };
    }

    private static HopVerdict fromReply(SessionInfo session, Stage stage, SmtpReply reply) {
        Diagnosis diagnosis = Diagnosis.remote(statusOf(reply), reply.toString(), session.mxHost());
        if (reply.code() == 421) {
            // RFC 5321 3.8: the server is closing the channel; another host may be fine.
            return new HopVerdict.TryNextHost(asTemporary(diagnosis), false);
        }
        return switch (stage) {
            // Postfix's smtp_skip_5xx_greeting: a refusing greeting or EHLO is this host's
            // problem; a permanent verdict only if every host says the same.
            case GREETING, EHLO, HELO, STARTTLS, RSET, QUIT, CONNECT ->
                    new HopVerdict.TryNextHost(asTemporary(diagnosis), reply.isPermanent());
            // A refused AUTH is the relay's configuration problem: keep the mail.
            case AUTH -> new HopVerdict.TryNextHost(asTemporary(diagnosis), false);
            case MAIL, RCPT, DATA, BODY, END_OF_DATA -> reply.isPermanent()
                    ? new HopVerdict.BounceAll(diagnosis)
                    : stage == Stage.MAIL
                            ? new HopVerdict.TryNextHost(diagnosis, false)
                            : new HopVerdict.DeferAll(diagnosis);
        };
    }

    /** The RFC 3463 status of a reply: its enhanced code, else the class of its reply code. */
    public static String statusOf(SmtpReply reply) {
        return reply.enhancedStatus().orElse((reply.code() / 100) + ".0.0");
    }

    /** A permanent diagnosis recorded as a deferral must carry a temporary status. */
    static Diagnosis asTemporary(Diagnosis diagnosis) {
        if (diagnosis.statusClass() == 4) {
            return diagnosis;
        }
        return new Diagnosis("4" + diagnosis.status().substring(1), diagnosis.text(), diagnosis.remoteMta());
    }

    private static boolean afterData(Stage stage) {
        return stage == Stage.BODY || stage == Stage.END_OF_DATA;
    }

    private static HopVerdict next(String status, String text) {
        return new HopVerdict.TryNextHost(Diagnosis.local(status, text), false);
    }
}
