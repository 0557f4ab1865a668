package dev.mta.server.delivery;

import dev.mta.delivery.attempt.MessageDelivery;
import dev.mta.delivery.route.AddressResolver;
import dev.mta.delivery.route.Router;
import dev.mta.delivery.route.SelfIdentity;
import dev.mta.delivery.smtpclient.SmtpClient;
import dev.mta.delivery.smtpclient.SmtpClientSettings;
import dev.mta.delivery.smtpclient.SmtpTimeouts;
import dev.mta.delivery.tlspolicy.HopTlsPolicies;
import dev.mta.delivery.tlsreport.TlsSessionReporter;
import dev.mta.delivery.tlspolicy.TrustStores;
import dev.mta.security.dns.DnsResolver;
import dev.mta.security.dns.DnsLookupObserver;
import dev.mta.security.dns.DnsSettings;
import dev.mta.security.dns.DnsjavaResolver;
import dev.mta.security.mtasts.DnsjavaTxtLookup;
import dev.mta.security.mtasts.TxtLookup;
import dev.mta.security.mtasts.StsFetchSettings;
import dev.mta.security.mtasts.StsPolicies;
import dev.mta.security.mtasts.StsPolicyFetcher;
import dev.mta.security.mtasts.StsPolicyStore;
import dev.mta.security.policy.HopSecurity;
import java.util.Optional;
import dev.mta.server.config.DeliveryConfig;
import dev.mta.server.config.RelayConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * What every next hop is decided with, built once from the configuration: DNS, routes,
 * addresses, hop security and TLS policies. The delivery workers and {@code mta policy} share it,
 * so the diagnosis says exactly what delivery would do.
 */
public record HopComponents(RelayConfig config, DnsResolver dns, SelfIdentity self, Router router,
        AddressResolver addresses, HopSecurity hopSecurity, HopTlsPolicies tlsPolicies,
        TxtLookup txt, Optional<StsPolicies> stsPolicies, Optional<StsPolicyFetcher> stsFetcher,
        DestinationTables tables) implements AutoCloseable {

    /**
     * @throws IllegalArgumentException for unusable trust anchors
     * @throws IllegalStateException    without any DNS server, or with an unreadable CA file
     */
    public static HopComponents create(RelayConfig config, Clock clock, List<InetSocketAddress> listening,
            StsPolicyStore stsStore) {
        return create(config, clock, listening, stsStore, DnsLookupObserver.NONE);
    }

    /** @param lookups told of every DNS lookup delivery makes (the relay counts them) */
    public static HopComponents create(RelayConfig config, Clock clock, List<InetSocketAddress> listening,
            StsPolicyStore stsStore, DnsLookupObserver lookups) {
        DeliveryConfig delivery = config.delivery();
        DnsSettings dnsSettings = new DnsSettings(delivery.dnsServers(), delivery.dnsTimeout(),
                delivery.dnsAttempts(), delivery.dnssec(), delivery.trustAnchors());
        DnsResolver dns = DnsjavaResolver.create(dnsSettings, clock, lookups);
        SelfIdentity self = new SelfIdentity(Set.of(config.hostname()), listening);
        DestinationTables tables = new DestinationTables(delivery);
        Router router = new Router(dns, tables::routes, self, delivery.port(), new SecureRandom());
        AddressResolver addresses = new AddressResolver(dns, delivery.addressFamilies());
        HopTlsPolicies tlsPolicies;
        try {
            tlsPolicies = new HopTlsPolicies(clock, TrustStores.load(delivery.tlsCaFile()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the CAs for verified TLS: " + e.getMessage(), e);
        }
        Optional<StsPolicyFetcher> fetcher = Optional.empty();
        Optional<StsPolicies> sts = Optional.empty();
        TxtLookup txt = DnsjavaTxtLookup.create(dnsSettings, lookups);
        if (delivery.mtaSts()) {
            fetcher = Optional.of(new StsPolicyFetcher(StsFetchSettings.defaults().withPort(delivery.mtaStsPort())
                    .withExtraCaFiles(delivery.tlsCaFile().stream().toList()), dns, clock));
            sts = Optional.of(new StsPolicies(txt, fetcher.get(), stsStore, clock));
        }
        return new HopComponents(config, dns, self, router, addresses, new HopSecurity(dns, sts), tlsPolicies, txt, sts, fetcher,
                tables);
    }

    @Override
    public void close() {
        stsFetcher.ifPresent(StsPolicyFetcher::close);
    }

    /** The SMTP client as the configuration sets it up. */
    public SmtpClient newClient() {
        DeliveryConfig delivery = config.delivery();
        DeliveryConfig.Timeouts t = delivery.timeouts();
        return new SmtpClient(SmtpClientSettings.defaults(config.hostname())
                .withTimeouts(new SmtpTimeouts(t.connect(), t.greeting(), t.ehlo(), t.starttls(), t.mail(), t.rcpt(),
                        t.data(), t.dataBlock(), t.endOfData()))
                .withReuseIdleTime(delivery.connectionReuseTime())
                .withMaxMessagesPerConnection(delivery.maxMessagesPerConnection()));
    }

    /** @param tlsReports where sessions are counted for TLS reports; {@link TlsSessionReporter#off()} for a probe */
    public MessageDelivery messageDelivery(SmtpClient client, TlsSessionReporter tlsReports) {
        return new MessageDelivery(router, addresses, self, client, hopSecurity, tables::policies, tlsPolicies,
                config.delivery().honourTlsRequiredNo(), tlsReports);
    }
}
