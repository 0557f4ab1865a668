package dev.mta.security.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Address;

/**
 * Where and how patiently to ask, and how to tell authentic answers (DNSSEC).
 *
 * <p>The three-argument constructor keeps what callers had before DNSSEC came: mode
 * {@link DnssecMode#OFF}, every answer insecure, no DANE. It suits tests and tools that do not
 * care; the relay's configuration defaults to {@link DnssecMode#VALIDATE} with the trust anchors
 * shipped in conf/trust-anchors.txt (see {@link #validating}). VALIDATE cannot be a default here
 * because it is useless without anchors, and there is no file location every caller shares.
 *
 * @param servers      the recursive resolvers to ask, in order; empty means the system's (as
 *                     dnsjava's {@code ResolverConfig} finds them, e.g. in /etc/resolv.conf)
 * @param timeout      how long one attempt at one server may take
 * @param attempts     how many times each server is asked before the question fails
 * @param dnssec       how answers are authenticated
 * @param trustAnchors the trust anchors file ({@link TrustAnchors}); required for VALIDATE,
 *                     ignored otherwise
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, int attempts,
                          DnssecMode dnssec, Optional<Path> trustAnchors) {
    /** RFC 1035 4.2: the DNS port, for servers given without one. */
    public static final int DNS_PORT = 53;

    private static final String FORMS = "write 192.0.2.53, 192.0.2.53:5353, 2001:db8::53 or [2001:db8::53]:5353";

    /**
     * @throws IllegalArgumentException for a server given by name, a timeout not positive, fewer
     *                                  than one attempt, VALIDATE without a trust anchors file, or
     *                                  TRUST_AD with a server that is not on loopback (or none named)
     */
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
        Objects.requireNonNull(dnssec, "dnssec");
        Objects.requireNonNull(trustAnchors, "trustAnchors");
        if (dnssec == DnssecMode.VALIDATE && trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("DNSSEC mode validate needs a trust anchors file");
        }
        if (dnssec == DnssecMode.TRUST_AD) {
            requireLoopback(servers);
        }
    }

    /** Settings without DNSSEC ({@link DnssecMode#OFF}), as before validation existed. */
    public DnsSettings(List<InetSocketAddress> servers, Duration timeout, int attempts) {
        this(servers, timeout, attempts, DnssecMode.OFF, Optional.empty());
    }

    /** Settings that validate in process from the anchors in {@code trustAnchors}. */
    public static DnsSettings validating(List<InetSocketAddress> servers, Duration timeout, int attempts, Path trustAnchors) {
        return new DnsSettings(servers, timeout, attempts, DnssecMode.VALIDATE, Optional.of(trustAnchors));
    }

    /** Settings that believe the AD bit of {@code servers}, which must all be loopback addresses. */
    public static DnsSettings trustingAd(List<InetSocketAddress> servers, Duration timeout, int attempts) {
        return new DnsSettings(servers, timeout, attempts, DnssecMode.TRUST_AD, Optional.empty());
    }

    /**
     * RFC 4035 4.9.3: the AD bit is worth believing only over a channel nobody can tamper with;
     * the one such channel checked here is loopback, to a validating resolver on this host.
     */
    private static void requireLoopback(List<InetSocketAddress> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("DNSSEC mode trust-ad needs the DNS servers named, and all on loopback"
                    + " (a validating resolver on this host); the system's resolvers cannot be checked");
        }
        for (InetSocketAddress server : servers) {
            if (!server.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("DNSSEC mode trust-ad believes the AD bit of the DNS servers, which"
                        + " is safe only for a validating resolver on loopback; " + server.getAddress().getHostAddress()
                        + " is not a loopback address (use dnssec = validate instead)");
            }
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
