package dev.mta.delivery.route;

import java.util.Locale;
import java.util.Objects;

/**
 * A next hop named in the configuration instead of the destination's MX records, written as
 * Postfix writes relayhost: {@code [smtp.example.net]:587} is that host itself (brackets: no MX
 * lookup), {@code example.net:587} is example.net's MX hosts on port 587.
 *
 * @param host      a host name or an IP literal (without brackets)
 * @param port      the TCP port, or 0 for the relay's delivery port
 * @param lookupMx  whether {@code host} is a domain whose MX records name the hosts
 */
public record RelayHost(String host, int port, boolean lookupMx) {

    public RelayHost {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("the relay host has no name");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /** Parses {@code [host]:port}, {@code [host]}, {@code host:port}, {@code host}, {@code [IPv6:..]:port}. */
    public static RelayHost parse(String text) {
        String value = text.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty relay host");
        }
        boolean bracketed = value.startsWith("[");
        String host;
        String rest;
        if (bracketed) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has '[' without ']'");
            }
            host = value.substring(1, close);
            if (host.regionMatches(true, 0, "IPv6:", 0, 5)) {
                host = host.substring(5);
            }
            rest = value.substring(close + 1);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon >= 0 && value.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "': write an IPv6 address in brackets, [2001:db8::1]:25");
            }
            host = colon < 0 ? value : value.substring(0, colon);
            rest = colon < 0 ? "" : value.substring(colon);
        }
        int port = 0;
        if (!rest.isEmpty()) {
            if (!rest.startsWith(":") || !rest.substring(1).matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("'" + text + "': expected ':port' after the host, found '" + rest + "'");
            }
            port = Integer.parseInt(rest.substring(1));
            if (port == 0 || port > 65535) {
                throw new IllegalArgumentException("'" + text + "': port must be 1 to 65535");
            }
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("'" + text + "' names no host");
        }
        return new RelayHost(host, port, !bracketed);
    }

    public int portOr(int defaultPort) {
        return port == 0 ? defaultPort : port;
    }

    @Override
    public String toString() {
        String name = lookupMx ? host : "[" + host + "]";
        return port == 0 ? name : name + ":" + port;
    }
}
