package dev.mta.delivery.dsn;

import java.io.IOException;
import java.io.InputStream;

/**
 * The message a DSN reports on, as it sits in the queue (CRLF lines, not dot-stuffed). The composer
 * opens it twice: once to learn what the returned part needs (8-bit content, its size, where the
 * header section ends) before any part header is written, and once to copy it. Each stream is read
 * as it goes and closed; the message is never held in memory.
 */
@FunctionalInterface
public interface OriginalMessage {

    /** A fresh stream from the first byte of the message. */
    InputStream open() throws IOException;
}
