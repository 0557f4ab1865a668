package dev.mta.security.users;

import java.nio.file.Path;

/** A users file that cannot be loaded: the message is {@code file:line: reason}. */
public final class UsersFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String reason;

    /** @param line the 1-based line at fault, or 0 when the file as a whole is */
    public UsersFileException(Path file, int line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line at fault, or 0 when the file as a whole is. */
    public int line() {
        return line;
    }

    /** What is wrong, without the location. */
    public String reason() {
        return reason;
    }
}
