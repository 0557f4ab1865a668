package dev.mta.server.pickup;

import java.io.IOException;
import java.io.InputStream;

/** How the sendmail command puts a message into the mail drop. */
@FunctionalInterface
public interface MailDrop {

    /**
     * Stores the message durably in the drop; bare LF line endings become CRLF.
     *
     * @throws IOException nothing was dropped: the caller still owns the message
     */
    DroppedMessage drop(DropEnvelope envelope, InputStream message) throws IOException;
}
