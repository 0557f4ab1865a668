package dev.mta.security.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Address;

/**
 * Where and how patiently to ask.
 *
 * @param servers  the recursive resolvers to ask, in order; empty means the system's (as
 *                 dnsjava's {@code ResolverConfig} finds them, e.g. in /etc/resolv.conf)
 * @param timeout  how long one attempt at one server may take
 * @param attempts how many times each server is asked before the question fails
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, int attempts) {
    /** RFC 1035 4.2: the DNS port, for servers given without one. */
    public static final int DNS_PORT = 53;

    private static final String FORMS = "write 192.0.2.53, 192.0.2.53:5353, 2001:db8::53 or [2001:db8::53]:5353";

    public DnsSettings {
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        for (InetSocketAddress server : servers) {
            if (server.isUnresolved()) {
                throw new IllegalArgumentException("DNS server " + server + " must be an IP address");
            }
        }
        Objects.requireNonNull(timeout, "timeout");
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("DNS timeout must be positive: " + timeout);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("DNS attempts must be at least 1: " + attempts);
        }
    }

    /**
     * Reads one server as configured: an IPv4 or IPv6 address, optionally with a port
     * ({@code 192.0.2.53}, {@code 192.0.2.53:5353}, {@code 2001:db8::53},
     * {@code [2001:db8::53]:5353}); without one, port 53. Names are refused: looking up the
     * resolver's address would need a resolver.
     *
     * @throws IllegalArgumentException with a message that quotes the text and says what is wrong
     */
    public static InetSocketAddress parseServer(String text) {
        Objects.requireNonNull(text, "text");
        String server = text.strip();
        if (server.isEmpty()) {
            throw invalid(text, "empty; " + FORMS);
        }
        String host;
        String port = null;
        int colons = (int) server.chars().filter(c -> c == ':').count();
        if (server.startsWith("[")) {
            int close = server.indexOf(']');
            if (close < 0) {
                throw invalid(text, "missing ']' after the IPv6 address");
            }
            host = server.substring(1, close);
            String rest = server.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(text, "expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
            if (Address.toByteArray(host, Address.IPv6) == null) {
                throw invalid(text, "'" + host + "' in brackets is not an IPv6 address");
            }
        } else if (colons == 1) {
            int colon = server.indexOf(':');
            host = server.substring(0, colon);
            port = server.substring(colon + 1);
        } else {
            host = server; // no colon: IPv4 alone; two or more: IPv6 alone
        }
        return new InetSocketAddress(address(text, host), port == null ? DNS_PORT : port(text, port));
    }

    private static InetAddress address(String text, String host) {
        byte[] bytes = Address.toByteArray(host, Address.IPv4);
        if (bytes == null) {
            bytes = Address.toByteArray(host, Address.IPv6);
        }
        if (bytes == null) {
            throw invalid(text, "not an IP address; " + FORMS);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + bytes.length + " bytes", e); // 4 or 16: cannot happen
        }
    }

    private static int port(String text, String port) {
        int value;
        try {
            value = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 1 || value > 0xFFFF || !port.chars().allMatch(Character::isDigit)) {
            throw invalid(text, "port '" + port + "' is not a number from 1 to 65535");
        }
        return value;
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException("DNS server '" + text + "': " + problem);
    }
}
