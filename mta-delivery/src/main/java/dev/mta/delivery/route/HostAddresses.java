package dev.mta.delivery.route;

import java.net.InetAddress;
import java.util.List;

/** The addresses of one next-hop host, or why there are none. */
public sealed interface HostAddresses {

    record Found(List<InetAddress> addresses) implements HostAddresses {
        public Found {
            addresses = List.copyOf(addresses);
        }
    }

    /** The name does not exist or has no address of any family used: a definite answer. */
    record NotFound(String reason) implements HostAddresses {
    }

    /** The lookup failed (SERVFAIL, timeout, bogus): try again later. */
    record Failed(String reason) implements HostAddresses {
    }
}
