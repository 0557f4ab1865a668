package dev.mta.queue.h2;

import dev.mta.queue.Envelope;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** What the SMTP listener does, for tests: receive, stream the body, commit. */
final class Queueing {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:05Z");

    private Queueing() {
    }

    /** A store whose clock stands still at {@link #NOW}. */
    static H2StoreSettings settings(Path dataDirectory) {
        return H2StoreSettings.defaults(dataDirectory).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static QueueId queue(MessageStore store, Envelope envelope, String body) throws StoreException {
        return queue(store, envelope, body.getBytes(StandardCharsets.US_ASCII));
    }

    static QueueId queue(MessageStore store, Envelope envelope, byte[] body) throws StoreException {
        try (IncomingMessage message = store.receive()) {
            message.body().write(body);
            message.commit(envelope);
            return message.id();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String body(int number) {
        return "Subject: test " + number + "\r\n\r\nbody " + number + "\r\n";
    }
}
