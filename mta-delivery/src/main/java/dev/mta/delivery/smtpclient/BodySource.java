package dev.mta.delivery.smtpclient;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the message content comes from: CRLF-terminated lines, not dot-stuffed. The client opens
 * it when the server has answered 354, reads it in chunks as the connection drains, and closes it.
 * It is read on a network thread, so it should be local (a spool file, memory), never a stream
 * that waits on another host.
 */
@FunctionalInterface
public interface BodySource {
    InputStream open() throws IOException;
}
