package dev.mta.queue;

/**
 * The store could not do what was asked. {@link #isResourceShortage()} separates "out of space"
 * (the listener answers 452 4.3.1) from other failures (451 4.3.0); either way nothing that was
 * committed before is lost.
 */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean resourceShortage;

    public StoreException(String message, Throwable cause, boolean resourceShortage) {
        super(message, cause);
        this.resourceShortage = resourceShortage;
    }

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public boolean isResourceShortage() {
        return resourceShortage;
    }
}
