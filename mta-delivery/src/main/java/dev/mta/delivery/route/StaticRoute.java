package dev.mta.delivery.route;

import dev.mta.security.policy.TlsLevel;
import java.util.Objects;
import java.util.Optional;

/**
 * A configured route: mail for some domains goes to {@code relayHost} instead of the domains' own
 * MX hosts, optionally with AUTH and with a TLS requirement. How an organisation chains to its
 * provider's smarthost. {@code tls}, when given, overrides the TLS policy table for this route.
 */
public record StaticRoute(RelayHost relayHost, Optional<RelayCredentials> credentials, Optional<TlsLevel> tls) {

    public StaticRoute {
        Objects.requireNonNull(relayHost, "relayHost");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(tls, "tls");
        if (credentials.isPresent() && !tls.map(TlsLevel::requiresTls).orElse(false)) {
            // The password would cross the network in clear text, or to whoever strips STARTTLS.
            throw new IllegalArgumentException("a route with a user and password needs a TLS level that requires TLS"
                    + " (encrypt, dane-only, verify, secure or fingerprint)");
        }
    }
}
