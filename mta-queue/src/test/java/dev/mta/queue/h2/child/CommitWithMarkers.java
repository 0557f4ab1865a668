package dev.mta.queue.h2.child;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child process for strace: around each commit, tries to open a marker file that does not
 * exist ("begin-i", "end-i"), so the openat calls show in the trace where commit i started and
 * where it returned. Halts after the last one, so closing adds no syncs of its own.
 * Arguments: data directory, marker directory, number of commits.
 */
public final class CommitWithMarkers {
    public static void main(String[] args) throws Exception {
        Path markers = Path.of(args[1]);
        H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(Path.of(args[0])));
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            try (IncomingMessage message = store.receive()) {
                message.body().write(("Subject: " + i + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                mark(markers.resolve("begin-" + i));
                message.commit(ChildEnvelopes.to(EnvelopeRecipient.of("traced@example.net")));
                mark(markers.resolve("end-" + i));
                System.out.println("committed " + message.id());
            }
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void mark(Path marker) {
        try {
            Files.newInputStream(marker).close();
        } catch (IOException expected) {
            // The marker does not exist; the failed openat is the mark.
        }
    }
}
