package dev.mta.queue.h2.child;

import dev.mta.queue.QueueId;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Child process, what {@code mta queue flush} does while the relay runs: opens the queue, makes
 * waiting recipients due at the given instant, prints "flushed &lt;count&gt;". Arguments: data
 * directory, instant, [queue id].
 */
public final class Flusher {
    public static void main(String[] args) throws Exception {
        try (H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(Path.of(args[0])))) {
            Optional<QueueId> message = args.length > 2 ? Optional.of(QueueId.parse(args[2])) : Optional.empty();
            System.out.println("flushed " + store.flush(message, Instant.parse(args[1])));
        }
    }
}
