package dev.mta.delivery.route;

import java.util.Objects;
import java.util.Optional;

/**
 * A configured route: mail for some domains goes to {@code relayHost} instead of the domains' own
 * MX hosts, optionally with AUTH and with a TLS requirement. How an organisation chains to its
 * provider's smarthost.
 */
public record StaticRoute(RelayHost relayHost, Optional<RelayCredentials> credentials, TlsRequirement tls) {

    public StaticRoute {
        Objects.requireNonNull(relayHost, "relayHost");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(tls, "tls");
    }
}
