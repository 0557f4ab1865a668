package dev.mta.delivery.route;

import dev.mta.security.dns.DnsSecurity;
import java.util.Objects;
import java.util.Optional;

/**
 * One host to try, in the order the router chose.
 *
 * @param host        the MX host name (or relay host, or IP literal): the name for SNI and logs
 * @param preference  its MX preference (0 for implicit MX and bracketed relay hosts)
 * @param port        the TCP port to connect to
 * @param mxSecurity  the DNSSEC status of the MX answer that named it (INSECURE for static hosts);
 *                    DANE (RFC 7672 2.2) needs SECURE here
 * @param route       the static route that chose it, if one did (credentials, TLS requirement)
 */
public record NextHop(String host, int preference, int port, DnsSecurity mxSecurity, Optional<StaticRoute> route) {

    public NextHop {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(mxSecurity, "mxSecurity");
        Objects.requireNonNull(route, "route");
    }
}
