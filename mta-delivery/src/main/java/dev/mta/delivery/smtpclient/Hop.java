package dev.mta.delivery.smtpclient;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One next hop: an address of one MX host (or relay host) and how to talk to it. Equal hops share
 * idle connections, so everything that changes what a session may be used for is part of it:
 * the address, the host name, the TLS policy (compare policies by value) and the credentials.
 *
 * @param mxHost  the host name, for SNI (unless the policy names another) and logs
 * @param address the IP address and port to connect to
 * @param tls     when and how to use STARTTLS
 * @param auth    credentials for AUTH, for relay hosts that want it
 */
public record Hop(String mxHost, InetSocketAddress address, TlsPolicy tls, Optional<Credentials> auth) {

    public Hop {
        Objects.requireNonNull(mxHost, "mxHost");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(auth, "auth");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("a hop needs a resolved address: " + address);
        }
    }

    /** A hop without AUTH. */
    public Hop(String mxHost, InetSocketAddress address, TlsPolicy tls) {
        this(mxHost, address, tls, Optional.empty());
    }

    @Override
    public String toString() {
        return mxHost + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort()
                + " tls=" + tls + auth.map(c -> " auth=" + c.user()).orElse("");
    }
}
