package dev.mta.queue.h2.child;

import dev.mta.queue.h2.H2MessageStore;
import dev.mta.queue.h2.H2StoreSettings;
import java.nio.file.Path;

/**
 * Child process: opens the queue first, so H2 serves the file from this process, prints
 * "open", and keeps it open until its standard input ends. Arguments: data directory.
 */
public final class HoldOpen {
    public static void main(String[] args) throws Exception {
        try (H2MessageStore store = H2MessageStore.open(H2StoreSettings.defaults(Path.of(args[0])))) {
            System.out.println("open " + store.list().size());
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
