package dev.mta.queue.h2.child;

import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.Selection;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Child process, what {@code mta queue delete} does while the relay runs: opens the queue,
 * deletes the message, prints "deleted &lt;messages&gt; &lt;recipients&gt;". Arguments: data
 * directory, instant, queue id.
 */
public final class Deleter {
    public static void main(String[] args) throws Exception {
        try (H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(Path.of(args[0])))) {
            QueueChange change = store.delete(Selection.messages(QueueId.parse(args[2])), Instant.parse(args[1]));
            System.out.println("deleted " + change.messages() + " " + change.recipients());
        }
    }
}
