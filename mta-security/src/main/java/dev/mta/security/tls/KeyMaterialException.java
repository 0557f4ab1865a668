package dev.mta.security.tls;

import java.nio.file.Path;

/** A certificate or key file that cannot be used, with the file named in the message. */
public final class KeyMaterialException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public KeyMaterialException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    public KeyMaterialException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
