package dev.mta.queue.h2.child;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.StoreException;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process, run under {@code ulimit -f} so that writing a large body really fails (EFBIG,
 * "File too large"): queues a small message, then a large one, then a small one again.
 * Prints "committed &lt;id&gt;" for each success and "refused shortage=&lt;bool&gt; &lt;message&gt;"
 * for the failure. Arguments: data directory, MiB of the large message.
 */
public final class CommitUnderFileSizeLimit {
    public static void main(String[] args) throws Exception {
        try (H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(Path.of(args[0])))) {
            queue(store, 1);
            queue(store, Long.parseLong(args[1]) * 1024 * 1024);
            queue(store, 1);
        }
    }

    private static void queue(H2MessageStore store, long bytes) throws StoreException, IOException {
        try (IncomingMessage message = store.receive()) {
            OutputStream body = message.body();
            body.write("Subject: sized\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[8192];
            for (long written = 0; written < bytes; written += chunk.length) {
                body.write(chunk);
            }
            message.commit(ChildEnvelopes.to(EnvelopeRecipient.of("sized@example.net")));
            System.out.println("committed " + message.id());
        } catch (StoreException e) {
            System.out.println("refused shortage=" + e.isResourceShortage() + " " + e.getMessage());
        }
    }
}
