package dev.mta.server.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin HTTP listener (health checks and metrics for the machine's monitoring).
 *
 * @param enabled   false: no admin listener
 * @param address   the IP address it binds; loopback unless a token protects it
 * @param port      its TCP port; 0 picks a free one (tests)
 * @param tokenFile a file holding the bearer token every request must present; empty: no
 *                  authentication, which the configuration allows only on loopback
 */
public record AdminConfig(boolean enabled, InetAddress address, int port, Optional<Path> tokenFile) {

    public AdminConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tokenFile, "tokenFile");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }
}
