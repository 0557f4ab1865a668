package dev.mta.delivery.route;

import dev.mta.security.dns.DnsSecurity;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The addresses of one next-hop host, or why there are none. */
public sealed interface HostAddresses {

    /**
     * @param security the weakest DNSSEC status of the address answers used; RFC 7672 2.2.2:
     *                 DANE applies only when the host's addresses are secure. SECURE for an IP literal
     *                 is never claimed: literals have no DNS, so no DANE (INSECURE).
     * @param canonicalName the host's name after CNAME expansion, when it is an alias (RFC 7672 2.2.3)
     */
    record Found(List<InetAddress> addresses, DnsSecurity security, Optional<String> canonicalName)
            implements HostAddresses {
        public Found {
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(security, "security");
            Objects.requireNonNull(canonicalName, "canonicalName");
        }

        public Found(List<InetAddress> addresses, DnsSecurity security) {
            this(addresses, security, Optional.empty());
        }
    }

    /** The name does not exist or has no address of any family used: a definite answer. */
    record NotFound(String reason) implements HostAddresses {
    }

    /** The lookup failed (SERVFAIL, timeout, bogus): try again later. */
    record Failed(String reason) implements HostAddresses {
    }
}
