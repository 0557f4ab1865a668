package dev.mta.queue.h2.child;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Child process: queues one message of N MiB, written 8 KiB at a time as the SMTP listener
 * would, and prints "committed &lt;id&gt;" and "max-heap &lt;bytes&gt;".
 * Arguments: data directory, N.
 */
public final class LargeBodyWriter {
    public static void main(String[] args) throws Exception {
        long bytes = Long.parseLong(args[1]) * 1024 * 1024;
        byte[] chunk = new byte[8192];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) ('a' + i % 26);
        }
        try (H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(Path.of(args[0])));
             IncomingMessage message = store.receive()) {
            OutputStream body = message.body();
            for (long written = 0; written < bytes; written += chunk.length) {
                body.write(chunk);
            }
            message.commit(ChildEnvelopes.to(EnvelopeRecipient.of("big@example.net")));
            System.out.println("committed " + message.id());
            System.out.println("max-heap " + Runtime.getRuntime().maxMemory());
        }
    }
}
