package dev.mta.queue.spool;

import dev.mta.queue.StoreException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a failed write or query into a {@link StoreException}, and decides whether it means
 * "out of space" (the listener answers 452 4.3.1) rather than any other failure (451 4.3.0).
 * Java reports ENOSPC and EDQUOT only as text in an IOException, and H2 wraps that IOException
 * in its own exceptions; so the whole cause chain is searched for the strerror(3) texts, and a
 * file system that is below the configured minimum counts as out of space whatever the text.
 */
public final class StorageFailures {
    private static final String[] OUT_OF_SPACE = {"no space left on device", "disk quota exceeded"};

    private StorageFailures() {
    }

    public static StoreException storeFailure(String what, Throwable cause, DiskSpace space) {
        boolean shortage = isOutOfSpace(cause) || space.isBelowMinimum();
        return new StoreException(what + ": " + describe(cause), cause, shortage);
    }

    public static boolean isOutOfSpace(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            String message = t.getMessage();
            if (message != null) {
                String lower = message.toLowerCase(Locale.ROOT);
                for (String text : OUT_OF_SPACE) {
                    if (lower.contains(text)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getName() : message;
    }
}
