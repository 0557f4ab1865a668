package dev.mta.testsupport.tls;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The notBefore/notAfter window of a test certificate. */
public record Validity(Instant notBefore, Instant notAfter) {

    public Validity {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if (notAfter.isBefore(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is before notBefore " + notBefore);
        }
    }

    /** Valid now: started an hour ago (tolerates clock skew between test threads) and lasts 30 days. */
    public static Validity current() {
        Instant now = Instant.now();
        return new Validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
    }

    /** Expired yesterday after a month of validity. */
    public static Validity expired() {
        Instant now = Instant.now();
        return new Validity(now.minus(Duration.ofDays(31)), now.minus(Duration.ofDays(1)));
    }

    /** Becomes valid tomorrow. */
    public static Validity notYetValid() {
        Instant now = Instant.now();
        return new Validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(31)));
    }
}
