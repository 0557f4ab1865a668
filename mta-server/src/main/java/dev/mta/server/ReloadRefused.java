package dev.mta.server;

/** A reload found the new configuration, certificate or users file unusable; nothing was changed. */
public final class ReloadRefused extends Exception {
    private static final long serialVersionUID = 1L;

    public ReloadRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
