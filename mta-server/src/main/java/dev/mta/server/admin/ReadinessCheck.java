package dev.mta.server.admin;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One condition the relay needs before it can take mail, asked at every /health/ready request.
 *
 * @param name    shown in the answer, e.g. {@code queue-store}; lower case, digits and hyphens
 * @param passing true while the condition holds; called on the admin listener's thread, so it
 *                must answer quickly and not block
 */
public record ReadinessCheck(String name, BooleanSupplier passing) {

    public ReadinessCheck {
        Objects.requireNonNull(passing, "passing");
        // The name goes into the JSON answer unescaped.
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("a check name is lower case, digits and hyphens: " + name);
        }
    }
}
