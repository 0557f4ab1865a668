package dev.mta.delivery.notice;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.EnvelopeRecipient.Notify;
import java.util.Set;

/**
 * Which DSNs a recipient's NOTIFY parameter asks for (RFC 3461 4.1). Without NOTIFY the relay
 * behaves as RFC 3461 4.1 allows and Postfix does: failures are reported, delays are reported
 * once after the warning time, successes are not.
 */
public final class NotifyRules {
    private NotifyRules() {
    }

    public static boolean wantsFailure(EnvelopeRecipient recipient) {
        Set<Notify> notify = recipient.notifyOn();
        return notify.isEmpty() || notify.contains(Notify.FAILURE);
    }

    public static boolean wantsDelay(EnvelopeRecipient recipient) {
        Set<Notify> notify = recipient.notifyOn();
        return notify.isEmpty() || notify.contains(Notify.DELAY);
    }

    /**
     * RFC 3461 5.2.3: when the next hop does not support DSN, the relay that passed the message on
     * reports "relayed" to a sender who asked for success notices; when it does, the request
     * travels on and the final hop answers it.
     */
    public static boolean wantsRelayedNotice(EnvelopeRecipient recipient, boolean nextHopTookDsn) {
        return recipient.notifyOn().contains(Notify.SUCCESS) && !nextHopTookDsn;
    }
}
