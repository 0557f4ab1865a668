package dev.mta.queue.h2.child;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process, what {@code mta queue list} does while the relay runs: opens the queue, prints
 * "listed &lt;id&gt;" for every message, then, with a second argument "commit", queues one
 * message of its own and prints "committed &lt;id&gt;". Arguments: data directory [commit].
 */
public final class QueueLister {
    public static void main(String[] args) throws Exception {
        try (H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(Path.of(args[0])))) {
            for (MessageSummary summary : store.list()) {
                System.out.println("listed " + summary.id());
            }
            if (args.length > 1 && args[1].equals("commit")) {
                try (IncomingMessage message = store.receive()) {
                    message.body().write("Subject: from the second process\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    message.commit(ChildEnvelopes.to(EnvelopeRecipient.of("second@example.net")));
                    System.out.println("committed " + message.id());
                }
            }
        }
    }
}
