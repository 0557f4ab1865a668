package dev.mta.queue.h2.child;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process: commits N messages and halts the JVM the moment the last commit returns, with
 * no close, no shutdown hooks and no finalization: what a crash right after the 250 leaves.
 * Arguments: data directory, N. Prints "committed &lt;id&gt;" after each commit returned.
 */
public final class CommitThenHalt {
    public static void main(String[] args) throws Exception {
        H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(Path.of(args[0])));
        int count = Integer.parseInt(args[1]);
        for (int i = 0; i < count; i++) {
            try (IncomingMessage message = store.receive()) {
                message.body().write(("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
                message.commit(ChildEnvelopes.to(EnvelopeRecipient.of("rcpt" + i + "@example.net")));
                System.out.println("committed " + message.id());
                System.out.flush();
            }
        }
        Runtime.getRuntime().halt(0);
    }
}
