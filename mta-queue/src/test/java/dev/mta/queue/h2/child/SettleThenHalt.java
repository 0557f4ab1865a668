package dev.mta.queue.h2.child;

import dev.mta.queue.Diagnosis;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.Settlement;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Child process: queues two messages, bounces the recipient of each with a failure notice owed,
 * reports the notice of the second one sent, and halts the moment that report returns (no close,
 * no hooks): what a crash of the notifier right after its report leaves. Prints "kept &lt;id&gt;"
 * and "reported &lt;id&gt;". Arguments: data directory.
 */
public final class SettleThenHalt {
    public static void main(String[] args) throws Exception {
        H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(Path.of(args[0])));
        QueueId kept = queue(store, "kept@example.net");
        QueueId reported = queue(store, "reported@example.net");
        store.claimDue(Instant.now().plusSeconds(1), 10, "worker", Duration.ofMinutes(5));
        Settlement bounce = new Settlement.Bounced(Diagnosis.remote("5.1.1", "550 5.1.1 unknown", "mx.example.net"), true);
        store.settle(new RecipientRef(kept, 0), "worker", bounce);
        store.settle(new RecipientRef(reported, 0), "worker", bounce);
        System.out.println("kept " + kept);
        System.out.flush();
        store.noticesSent(reported, List.of(0), NoticeKind.FAILURE);
        System.out.println("reported " + reported);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static QueueId queue(H2MessageStore store, String recipient) throws Exception {
        try (IncomingMessage message = store.receive()) {
            message.body().write(("Subject: to " + recipient + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
            message.commit(ChildEnvelopes.to(EnvelopeRecipient.of(recipient)));
            return message.id();
        }
    }
}
