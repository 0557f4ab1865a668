package dev.mta.security.password;

/** A stored password hash that is not in a format the relay can check. */
final class MalformedHashException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedHashException(String reason) {
        super(reason);
    }
}
