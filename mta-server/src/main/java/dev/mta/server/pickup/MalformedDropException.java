package dev.mta.server.pickup;

/** A dropped file that cannot be read as a message: it is set aside, never queued or deleted. */
final class MalformedDropException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedDropException(String message) {
        super(message);
    }
}
