package dev.mta.security.mtasts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How policies are fetched (RFC 8461 3.3).
 *
 * @param timeout        how long one fetch may take, connection, handshake and body included
 * @param maxPolicyBytes the largest body accepted
 * @param extraCaFiles   PEM files with CA certificates trusted besides the system's (a lab's CA)
 * @param port           the HTTPS port; 443 always, except against a test server
 */
public record StsFetchSettings(Duration timeout, int maxPolicyBytes, List<Path> extraCaFiles, int port) {
    /** RFC 8461 3.3 suggests a timeout of a minute at most; policies are small and quick. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** RFC 8461 3.3: senders may limit the body; 64 KiB is far above any real policy. */
    public static final int DEFAULT_MAX_POLICY_BYTES = 64 * 1024;
    public static final int HTTPS_PORT = 443;

    public StsFetchSettings {
        Objects.requireNonNull(timeout, "timeout");
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("MTA-STS fetch timeout must be positive: " + timeout);
        }
        if (maxPolicyBytes < 1) {
            throw new IllegalArgumentException("MTA-STS maximum policy size must be positive: " + maxPolicyBytes);
        }
        extraCaFiles = List.copyOf(extraCaFiles);
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be from 1 to 65535: " + port);
        }
    }

    /** The defaults: 30 s, 64 KiB, the system's CAs only, port 443. */
    public static StsFetchSettings defaults() {
        return new StsFetchSettings(DEFAULT_TIMEOUT, DEFAULT_MAX_POLICY_BYTES, List.of(), HTTPS_PORT);
    }

    public StsFetchSettings withExtraCaFiles(List<Path> files) {
        return new StsFetchSettings(timeout, maxPolicyBytes, files, port);
    }

    public StsFetchSettings withTimeout(Duration value) {
        return new StsFetchSettings(value, maxPolicyBytes, extraCaFiles, port);
    }

    public StsFetchSettings withPort(int value) {
        return new StsFetchSettings(timeout, maxPolicyBytes, extraCaFiles, value);
    }
}
