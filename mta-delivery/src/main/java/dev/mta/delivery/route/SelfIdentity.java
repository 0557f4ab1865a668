package dev.mta.delivery.route;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who "this relay" is, for loop detection: its host names, and the sockets its listeners accept
 * mail on. A next hop that is one of these would hand the mail back to us.
 */
public final class SelfIdentity {
    private final Set<String> names;
    private final List<InetSocketAddress> listening;

    public SelfIdentity(Set<String> names, List<InetSocketAddress> listening) {
        this.names = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.listening = List.copyOf(listening);
    }

    public static SelfIdentity none() {
        return new SelfIdentity(Set.of(), List.of());
    }

    public boolean isSelf(String hostName) {
        return names.contains(hostName.toLowerCase(Locale.ROOT));
    }

    /** Whether connecting to {@code address:port} would reach one of our own listeners. */
    public boolean isSelf(InetAddress address, int port) {
        for (InetSocketAddress listener : listening) {
            if (listener.getPort() != port) {
                continue;
            }
            if (listener.getAddress().equals(address)
                    || listener.getAddress().isAnyLocalAddress() && isLocal(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
