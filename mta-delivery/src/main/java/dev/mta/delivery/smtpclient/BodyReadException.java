package dev.mta.delivery.smtpclient;

import java.io.IOException;

/** Reading the message's {@link BodySource} failed: a local problem, not the connection's. */
final class BodyReadException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyReadException(IOException cause) {
        super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
    }
}
