package dev.mta.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * A small piece of state the relay keeps beside the queue so that it survives restarts: an
 * MTA-STS policy per domain (RFC 8461 5.1), a day of TLS-RPT counts (RFC 8460). The store keeps
 * the text; what it means is the owner's business.
 *
 * @param kind    who owns it, e.g. {@code mta-sts}
 * @param key     what it is about, e.g. the policy domain
 * @param value   the owner's text
 * @param updated when it was saved
 */
public record KeyedRecord(String kind, String key, String value, Instant updated) {
    public KeyedRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(updated, "updated");
        if (kind.isBlank() || kind.length() > 40 || key.length() > 255) {
            throw new IllegalArgumentException("a record needs a kind (1-40 characters) and a key of at most 255");
        }
    }
}
