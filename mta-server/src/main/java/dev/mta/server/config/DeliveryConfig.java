package dev.mta.server.config;

import dev.mta.delivery.route.AddressFamily;
import dev.mta.delivery.route.StaticRoutes;
import dev.mta.security.policy.DestinationPolicy;
import dev.mta.security.policy.DomainTable;
import dev.mta.security.dns.DnssecMode;
import dev.mta.security.tlsrpt.TlsRptSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the delivery workers need: DNS, the SMTP client's limits and timeouts, retries,
 * lifetimes and DSN settings, and the static routes.
 *
 * @param enabled         false: mail is queued but not sent
 * @param dnsServers      resolvers for MX/A/AAAA; empty: the system's (/etc/resolv.conf)
 * @param dnssec          validate in process, trust a loopback resolver's AD bit, or off
 * @param trustAnchors    the anchors file, for validate
 * @param tlsCaFile       CAs for the verify and secure levels; empty: the JDK's
 * @param mtaSts          honour MTA-STS policies (RFC 8461)
 * @param mtaStsPort      the HTTPS port of MTA-STS policy servers (RFC 8461 3.3: 443; a lab may differ)
 * @param honourTlsRequiredNo whether "TLS-Required: No" (RFC 8689 5) relaxes DANE and MTA-STS
 * @param port            the port of the next hop, unless a route names another
 * @param addressFamilies IP versions used, preferred first
 * @param tlsPolicies     the operator's TLS level per next-hop destination ({@code *}: the default, else dane)
 * @param postmaster      where a bounce that cannot be returned to its sender goes (RFC 5321 4.5.5: the relay's own postmaster)
 * @param tlsReports      TLS reporting (RFC 8460): whether, as whom, when
 */
public record DeliveryConfig(
        boolean enabled,
        List<InetSocketAddress> dnsServers,
        Duration dnsTimeout,
        int dnsAttempts,
        DnssecMode dnssec,
        Optional<Path> trustAnchors,
        Optional<Path> tlsCaFile,
        boolean mtaSts,
        int mtaStsPort,
        boolean honourTlsRequiredNo,
        int port,
        List<AddressFamily> addressFamilies,
        Timeouts timeouts,
        Duration connectionReuseTime,
        int maxMessagesPerConnection,
        int maxConnections,
        int maxConnectionsPerDestination,
        Duration retryFirst,
        Duration retryMax,
        Duration queueLifetime,
        Duration noticeLifetime,
        Duration delayWarning,
        String postmaster,
        StaticRoutes routes,
        DomainTable<DestinationPolicy> tlsPolicies,
        TlsRptSettings tlsReports) {

    public DeliveryConfig {
        dnsServers = List.copyOf(dnsServers);
        addressFamilies = List.copyOf(addressFamilies);
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(tlsPolicies, "tlsPolicies");
        Objects.requireNonNull(tlsReports, "tlsReports");
    }

    /** Per-stage SMTP client timeouts (RFC 5321 4.5.3.2). */
    public record Timeouts(Duration connect, Duration greeting, Duration ehlo, Duration starttls, Duration mail,
            Duration rcpt, Duration data, Duration dataBlock, Duration endOfData) {
    }
}
