package dev.mta.delivery.smtpclient;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the message content comes from: CRLF-terminated lines, not dot-stuffed. The client opens
 * it when the server has answered 354, reads it in chunks as the connection drains, and closes it.
 */
@FunctionalInterface
public interface BodySource {
    InputStream open() throws IOException;
}
