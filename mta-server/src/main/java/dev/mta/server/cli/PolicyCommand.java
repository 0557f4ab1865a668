package dev.mta.server.cli;

import dev.mta.delivery.attempt.MessageDelivery;
import dev.mta.delivery.route.HostAddresses;
import dev.mta.delivery.route.NextHop;
import dev.mta.delivery.route.RouteResult;
import dev.mta.delivery.smtpclient.DeliveryError;
import dev.mta.delivery.smtpclient.Hop;
import dev.mta.delivery.smtpclient.PeerVerdict;
import dev.mta.delivery.smtpclient.SmtpClient;
import dev.mta.delivery.smtpclient.TlsPolicy;
import dev.mta.delivery.smtpclient.TransactionResult;
import dev.mta.security.dane.DaneVerifier;
import dev.mta.security.dane.TlsaAssociation;
import dev.mta.security.dane.TlsaUsability;
import dev.mta.security.dns.DnsResult;
import dev.mta.security.dns.TlsaRecord;
import dev.mta.security.policy.HopPolicy;
import dev.mta.server.config.RelayConfig;
import dev.mta.queue.MessageStore;
import dev.mta.server.delivery.HopComponents;
import dev.mta.server.delivery.StoredStsPolicies;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What the relay would do for mail to a domain, without sending any: its hosts in order with the
 * DNSSEC status of every answer, the TLSA records and whether each is usable, and the security of
 * each hop. {@code --probe} also connects (EHLO, STARTTLS, QUIT) and says whether the presented
 * certificate would authenticate, like Postfix's posttls-finger.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Show how mail to DOMAIN would be routed and secured (DNSSEC, DANE, TLS policy).")
final class PolicyCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Parameters(paramLabel = "DOMAIN", description = "The recipient domain.")
    String domain;

    @Option(names = "--probe", description = "Also connect to each address: EHLO and STARTTLS, no mail.")
    boolean probe;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RelayConfig relay = config.load().config();
        PrintWriter out = spec.commandLine().getOut();
        String name = domain.toLowerCase(Locale.ROOT);
        // The relay's own MTA-STS cache, so that this shows what delivery would use.
        MessageStore store = QueueCommand.open(config);
        HopComponents hops;
        try {
            hops = HopComponents.create(relay, Clock.systemUTC(), List.of(), new StoredStsPolicies(store.records()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            store.close();
            throw new CommandFailure(ExitCodes.CONFIG, "cannot set up DNS and TLS: " + e.getMessage());
        }
        out.println("domain " + name + " (dnssec " + relay.delivery().dnssec().configValue() + ")");
        new DestinationReporting(out, hops, Clock.systemUTC()).print(name, new StoredStsPolicies(store.records()));
        try (store; hops; SmtpClient client = hops.newClient()) {
            MessageDelivery delivery = hops.messageDelivery(client, dev.mta.delivery.tlsreport.TlsSessionReporter.off());
            RouteResult route = hops.router().route(name);
            switch (route) {
                case RouteResult.Bounce bounce -> {
                    out.println("  bounce " + bounce.status() + ": " + bounce.reason());
                    return ExitCodes.OK;
                }
                case RouteResult.Defer defer -> {
                    out.println("  defer " + defer.status() + ": " + defer.reason());
                    return ExitCodes.TEMPORARY_FAILURE;
                }
                case RouteResult.Hosts list -> {
                    for (NextHop next : list.hosts()) {
                        host(out, hops, delivery, client, name, next);
                    }
                }
            }
        }
        return ExitCodes.OK;
    }

    private void host(PrintWriter out, HopComponents hops, MessageDelivery delivery, SmtpClient client, String name,
            NextHop next) throws InterruptedException {
        String source = next.route().map(r -> "route " + r.relayHost()).orElse("MX " + next.preference());
        out.println("  " + source + " " + next.host() + ":" + next.port() + "  (MX answer "
                + next.mxSecurity().name().toLowerCase(Locale.ROOT) + ")");
        out.println("    policy " + delivery.policyFor(name, next).level().keyword());
        HostAddresses addresses = hops.addresses().resolve(next.host());
        if (!(addresses instanceof HostAddresses.Found found)) {
            out.println("    addresses: " + addresses + " -> host not used");
            return;
        }
        out.println("    addresses " + found.addresses().stream().map(InetAddress::getHostAddress).toList() + " ("
                + found.security().name().toLowerCase(Locale.ROOT) + ")" + found.canonicalName().map(c -> " alias of " + c).orElse(""));
        tlsa(out, hops, next.host(), next.port());
        found.canonicalName().ifPresent(canonical -> tlsa(out, hops, canonical, next.port()));
        HopPolicy security = delivery.hopPolicy(name, next, found);
        out.println("    security: " + describe(security));
        if (!probe || security instanceof HopPolicy.Skip) {
            return;
        }
        TlsPolicy tls = delivery.tlsPolicy(security);
        for (InetAddress address : found.addresses()) {
            Probe recording = new Probe(tls);
            Hop hop = new Hop(next.host(), new InetSocketAddress(address, next.port()), recording, delivery.credentialsFor(next));
            TransactionResult result;
            try {
                result = client.probe(hop).get(2, TimeUnit.MINUTES);
            } catch (ExecutionException | TimeoutException e) {
                out.println("    probe " + address.getHostAddress() + ": " + e);
                continue;
            }
            out.println("    probe " + address.getHostAddress() + ": " + probeResult(result));
            if (security instanceof HopPolicy.Dane dane && !recording.chain.isEmpty()) {
                out.println("      " + DaneVerifier.verify(dane.records(), recording.chain, dane.referenceIdentifiers(),
                        Clock.systemUTC().instant()).summary());
            }
            if (!recording.chain.isEmpty()) {
                out.println("      certificate " + recording.chain.getFirst().getSubjectX500Principal().getName()
                        + ", chain of " + recording.chain.size());
            }
        }
    }

    private static void tlsa(PrintWriter out, HopComponents hops, String host, int port) {
        String owner = "_" + port + "._tcp." + host;
        DnsResult<TlsaRecord> answer = hops.dns().tlsa(owner);
        String status = answer.security().name().toLowerCase(Locale.ROOT);
        switch (answer) {
            case DnsResult.Found<TlsaRecord> found -> {
                out.println("    TLSA " + owner + " (" + status + ")");
                List<TlsaAssociation> records = found.records().stream()
                        .map(r -> new TlsaAssociation(r.usage(), r.selector(), r.matchingType(), r.data())).toList();
                TlsaUsability.Partition partition = TlsaUsability.partition(records);
                for (TlsaAssociation usable : partition.usable()) {
                    out.println("      " + usable.presentation() + "  usable");
                }
                for (TlsaUsability.Unusable unusable : partition.unusable()) {
                    out.println("      " + unusable.record().presentation() + "  unusable: " + unusable.reason());
                }
            }
            case DnsResult.NoData<TlsaRecord> ignored -> out.println("    TLSA " + owner + ": none (" + status + " denial)");
            case DnsResult.NxDomain<TlsaRecord> ignored -> out.println("    TLSA " + owner + ": none (" + status + " NXDOMAIN)");
            case DnsResult.Failed<TlsaRecord> failed -> out.println("    TLSA " + owner + ": lookup failed, " + failed.reason()
                    + " (" + status + ")");
        }
    }

    private static String describe(HopPolicy security) {
        return switch (security) {
            case HopPolicy.Cleartext ignored -> "none (no STARTTLS)";
            case HopPolicy.Opportunistic ignored -> "may (opportunistic TLS, not authenticated)";
            case HopPolicy.Encrypted encrypted -> "encrypt (TLS mandatory, not authenticated: " + encrypted.why() + ")";
            case HopPolicy.Dane dane -> "dane (TLS mandatory, authenticated by " + dane.records().size()
                    + " TLSA record(s); SNI " + dane.baseDomain() + "; names " + dane.referenceIdentifiers() + ")";
            case HopPolicy.Verified verified -> "verify (PKIX, names " + verified.names() + ")";
            case HopPolicy.Pinned pinned -> "fingerprint (" + pinned.fingerprints().size() + " pinned digest(s))";
            case HopPolicy.Sts sts -> "sts (MTA-STS enforce of " + sts.policyDomain() + ": TLS mandatory, PKIX for " + sts.mxHost() + ")";
            case HopPolicy.StsTesting testing -> "may (MTA-STS testing of " + testing.policyDomain()
                    + ": opportunistic TLS; PKIX for " + testing.mxHost() + " checked and reported only"
                    + (testing.listed() ? "" : "; the policy does not list this host") + ")";
            case HopPolicy.Skip skip -> "skipped: " + skip.reason();
        };
    }

    private static String probeResult(TransactionResult result) {
        return switch (result) {
            case TransactionResult.Completed completed -> {
                var session = completed.session();
                yield "ok, " + session.greeting() + "; tls " + session.tlsProtocol()
                        .map(p -> session.peerAuthentication().orElse("encrypted") + " " + p + " " + session.tlsCipher().orElse(""))
                        .orElse("none");
            }
            case TransactionResult.Failed failed -> "failed at " + failed.stage().description() + ": " + describe(failed.error());
            case TransactionResult.NotSendable refused -> refused.reason();
        };
    }

    private static String describe(DeliveryError error) {
        return switch (error) {
            case DeliveryError.Reply reply -> reply.reply().toString();
            default -> error.toString();
        };
    }

    /** The hop's own policy, remembering the chain the server presented for the report. */
    private static final class Probe implements TlsPolicy {
        private final TlsPolicy policy;
        private volatile List<X509Certificate> chain = new ArrayList<>();

        Probe(TlsPolicy policy) {
            this.policy = policy;
        }

        @Override
        public StartTls startTls() {
            return policy.startTls();
        }

        @Override
        public Optional<String> serverName(String mxHost) {
            return policy.serverName(mxHost);
        }

        @Override
        public PeerVerdict verifyPeer(List<X509Certificate> presented, SSLSession session) {
            chain = List.copyOf(presented);
            return policy.verifyPeer(presented, session);
        }

        @Override
        public boolean retryInClearTextAfterHandshakeFailure() {
            return false;
        }
    }
}
