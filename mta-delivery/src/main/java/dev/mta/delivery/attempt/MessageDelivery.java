package dev.mta.delivery.attempt;

import dev.mta.delivery.route.AddressResolver;
import dev.mta.delivery.route.HostAddresses;
import dev.mta.delivery.route.NextHop;
import dev.mta.delivery.route.RouteResult;
import dev.mta.delivery.route.Router;
import dev.mta.delivery.route.SelfIdentity;
import dev.mta.delivery.route.StaticRoute;
import dev.mta.delivery.smtpclient.BodySource;
import dev.mta.delivery.smtpclient.Credentials;
import dev.mta.delivery.smtpclient.Hop;
import dev.mta.delivery.smtpclient.OutboundMessage;
import dev.mta.delivery.smtpclient.OutboundRecipient;
import dev.mta.delivery.smtpclient.RecipientResult;
import dev.mta.delivery.smtpclient.SmtpClient;
import dev.mta.delivery.smtpclient.SmtpReply;
import dev.mta.delivery.smtpclient.TlsPolicy;
import dev.mta.delivery.tlspolicy.HopTlsPolicies;
import dev.mta.delivery.tlsreport.TlsSessionReporter;
import dev.mta.security.mtasts.StsLookup;
import dev.mta.security.dns.DnsSecurity;
import dev.mta.security.policy.DestinationPolicy;
import dev.mta.security.policy.DomainTable;
import dev.mta.security.policy.HopPolicy;
import dev.mta.security.policy.HopSecurity;
import dev.mta.delivery.smtpclient.TransactionResult;
import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One delivery attempt of one message to one destination domain: route, then each host in order
 * and each of its addresses, until a server takes the transaction or says no for good. Returns
 * an outcome per recipient; settling them is the caller's job (STYLE 1: only the queue changes
 * queue state).
 */
public final class MessageDelivery {
    // The delivery log (see DeliveryLog): one line per attempt, plus one per host passed over.
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.mta.delivery");

    private final Router router;
    private final AddressResolver addresses;
    private final SelfIdentity self;
    private final SmtpClient client;
    private final HopSecurity hopSecurity;
    private final Supplier<DomainTable<DestinationPolicy>> policies;
    private final HopTlsPolicies tlsPolicies;
    private final boolean honourTlsRequiredNo;
    private final TlsSessionReporter tlsReports;

    /**
     * @param policies the operator's TLS policy per next-hop destination; without an entry
     *                 (and without a {@code *} default) a destination gets opportunistic DANE
     */
    public MessageDelivery(Router router, AddressResolver addresses, SelfIdentity self, SmtpClient client,
            HopSecurity hopSecurity, DomainTable<DestinationPolicy> policies, HopTlsPolicies tlsPolicies) {
        this(router, addresses, self, client, hopSecurity, policies, tlsPolicies, true, TlsSessionReporter.off());
    }

    /**
     * @param honourTlsRequiredNo whether {@code TLS-Required: No} (RFC 8689 5) relaxes DANE and MTA-STS
     * @param tlsReports          where each session's TLS outcome is counted (RFC 8460)
     */
    public MessageDelivery(Router router, AddressResolver addresses, SelfIdentity self, SmtpClient client,
            HopSecurity hopSecurity, DomainTable<DestinationPolicy> policies, HopTlsPolicies tlsPolicies,
            boolean honourTlsRequiredNo, TlsSessionReporter tlsReports) {
        this(router, addresses, self, client, hopSecurity, constant(policies), tlsPolicies, honourTlsRequiredNo, tlsReports);
    }

    /**
     * @param policies read at each attempt, so the table can be replaced while delivery runs (a
     *                 reload of the configuration)
     */
    public MessageDelivery(Router router, AddressResolver addresses, SelfIdentity self, SmtpClient client,
            HopSecurity hopSecurity, Supplier<DomainTable<DestinationPolicy>> policies, HopTlsPolicies tlsPolicies,
            boolean honourTlsRequiredNo, TlsSessionReporter tlsReports) {
        this.router = Objects.requireNonNull(router, "router");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.self = Objects.requireNonNull(self, "self");
        this.client = Objects.requireNonNull(client, "client");
        this.hopSecurity = Objects.requireNonNull(hopSecurity, "hopSecurity");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.tlsPolicies = Objects.requireNonNull(tlsPolicies, "tlsPolicies");
        this.honourTlsRequiredNo = honourTlsRequiredNo;
        this.tlsReports = Objects.requireNonNull(tlsReports, "tlsReports");
    }

    private static <T> Supplier<T> constant(T value) {
        Objects.requireNonNull(value, "policies");
        return () -> value;
    }

    /**
     * @param recipients claimed recipients of one message, all in {@code domain}
     * @param size       the body size in bytes (for SIZE=)
     */
    public List<AttemptResult> deliver(Envelope envelope, String domain, List<ClaimedRecipient> recipients,
            long size, BodySource body) throws InterruptedException {
        RouteResult route = router.route(domain);
        return switch (route) {
            case RouteResult.Bounce bounce -> all(recipients, new DeliveryOutcome.Bounced(Diagnosis.local(bounce.status(), bounce.reason())), Via.NONE);
            case RouteResult.Defer defer -> all(recipients, new DeliveryOutcome.Deferred(Diagnosis.local(defer.status(), defer.reason())), Via.NONE);
            case RouteResult.Hosts hosts -> overHosts(envelope, domain, hosts.hosts(), recipients, size, body);
        };
    }

    private List<AttemptResult> overHosts(Envelope envelope, String domain, List<NextHop> hosts,
            List<ClaimedRecipient> recipients, long size, BodySource body) throws InterruptedException {
        OutboundMessage message = outbound(envelope, recipients, size, body);
        // RFC 8689 5: never together with REQUIRETLS, which asks the opposite. The header is read
        // only when a host's policy would be relaxed by it, and then once per attempt.
        boolean mayRelax = honourTlsRequiredNo && !envelope.requireTls();
        Boolean tlsOptional = null;
        HopVerdict.TryNextHost last = null;
        Via lastVia = Via.NONE;
        List<String> notFound = new ArrayList<>();
        List<String> lookupFailures = new ArrayList<>();
        boolean onlySelf = true;
        // The destination's MTA-STS state (RFC 8461 5.1), looked up at most once per attempt: for
        // the decision on each MX host and for the TLS reports (RFC 8460).
        Supplier<Optional<StsLookup>> sts = memoized(() -> hopSecurity.stsFor(domain));
        for (NextHop next : hosts) {
            boolean reported = tlsReports.enabled() && next.route().isEmpty();
            HostAddresses found = addresses.resolve(next.host());
            switch (found) {
                case HostAddresses.NotFound missing -> {
                    notFound.add(missing.reason());
                    continue;
                }
                case HostAddresses.Failed failed -> {
                    lookupFailures.add(failed.reason());
                    continue;
                }
                case HostAddresses.Found ignored -> {
                }
            }
            HostAddresses.Found resolved = (HostAddresses.Found) found;
            // A route's relay host has its own next-hop name; MX hosts share the domain's MTA-STS state.
            HopPolicy security = next.route().isEmpty() ? hopPolicy(domain, next, resolved, sts) : hopPolicy(domain, next, resolved);
            boolean relaxable = mayRelax && !(security instanceof HopPolicy.Opportunistic)
                    && !(security instanceof HopPolicy.StsTesting)
                    && policyFor(domain, next).level() == dev.mta.security.policy.TlsLevel.DANE;
            if (relaxable && tlsOptional == null) {
                tlsOptional = TlsRequiredHeader.saysNo(body);
            }
            if (relaxable && tlsOptional) {
                // The destination's policy (DANE, MTA-STS) would refuse or demand; the sender said
                // TLS is not required: opportunistic TLS, as RFC 8689 5 allows.
                LOG.info("id={} host={}: TLS-Required: No, {} relaxed to opportunistic TLS",
                        recipients.getFirst().ref().message(), next.host(), security.getClass().getSimpleName().toLowerCase(Locale.ROOT));
                security = new HopPolicy.Opportunistic();
            }
            if (security instanceof HopPolicy.Skip skip) {
                // RFC 7672 2.2: this host is not used; the next one may be.
                last = new HopVerdict.TryNextHost(Diagnosis.local("4.7.5", "skipped " + next.host() + ": " + skip.reason()), false);
                LOG.warn("id={} host={} skipped: {}", recipients.getFirst().ref().message(), next.host(), skip.reason());
                if (reported) {
                    tlsReports.skipped(domain, next.host(), skip, sts.get());
                }
                continue;
            }
            if (envelope.requireTls() && !authenticates(security)) {
                // RFC 8689 4.2.1: a REQUIRETLS message goes only to a host whose certificate is
                // authenticated (DANE, or PKIX on names the sender's DNS cannot forge).
                String reason = "REQUIRETLS: " + next.host() + " cannot be authenticated (" + describe(security) + ")";
                last = new HopVerdict.TryNextHost(Diagnosis.local("5.7.30", reason), true);
                LOG.warn("id={} host={} skipped: {}", recipients.getFirst().ref().message(), next.host(), reason);
                continue;
            }
            TlsPolicy tls = tlsPolicies.forHop(security);
            for (InetAddress address : resolved.addresses()) {
                if (self.isSelf(address, next.port())) {
                    continue;
                }
                onlySelf = false;
                Hop hop = new Hop(next.host(), new InetSocketAddress(address, next.port()), tls, credentials(next.route()));
                TransactionResult result = send(hop, message);
                if (reported) {
                    tlsReports.session(domain, security, sts.get(), result);
                }
                switch (result) {
                    case TransactionResult.Completed completed -> {
                        return perRecipient(recipients, completed);
                    }
                    case TransactionResult.NotSendable refused -> {
                        return all(recipients, new DeliveryOutcome.Bounced(Diagnosis.local(refused.status(), refused.reason())),
                                Via.NONE);
                    }
                    case TransactionResult.Failed failed -> {
                        Via via = Via.of(failed.session());
                        HopVerdict verdict = FailureClassifier.classify(failed.session(), failed.stage(), failed.error());
                        switch (verdict) {
                            case HopVerdict.BounceAll bounce -> {
                                return all(recipients, new DeliveryOutcome.Bounced(bounce.diagnosis()), via);
                            }
                            case HopVerdict.DeferAll defer -> {
                                return all(recipients, new DeliveryOutcome.Deferred(defer.diagnosis()), via);
                            }
                            case HopVerdict.TryNextHost nextHost -> {
                                last = nextHost;
                                LOG.warn("id={} relay={} tls={} failed, next host: {}", recipients.getFirst().ref().message(),
                                        via.relay(), via.tls(), nextHost.diagnosis().text());
                                lastVia = via;
                            }
                        }
                    }
                }
            }
        }
        if (last != null) {
            return all(recipients, last.permanent()
                    ? new DeliveryOutcome.Bounced(permanent(last.diagnosis()))
                    : new DeliveryOutcome.Deferred(last.diagnosis()), lastVia);
        }
        if (!lookupFailures.isEmpty()) {
            return all(recipients, new DeliveryOutcome.Deferred(Diagnosis.local("4.4.3",
                    "cannot find the address of any mail host of " + domain + ": " + String.join("; ", lookupFailures))), Via.NONE);
        }
        if (!notFound.isEmpty()) {
            return all(recipients, new DeliveryOutcome.Bounced(Diagnosis.local("5.4.4",
                    "Host or domain name not found for " + domain + ": " + String.join("; ", notFound))), Via.NONE);
        }
        return all(recipients, new DeliveryOutcome.Bounced(Diagnosis.local("5.4.6",
                "mail for " + domain + " loops back to myself")), Via.NONE);
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    private TransactionResult send(Hop hop, OutboundMessage message) throws InterruptedException {
        try {
            return client.send(hop, message).get();
        } catch (ExecutionException e) {
            // The client reports every network outcome as a result; an exception here is a bug.
            throw new IllegalStateException("the SMTP client failed unexpectedly for " + hop, e.getCause());
        }
    }

    private static List<AttemptResult> perRecipient(List<ClaimedRecipient> recipients, TransactionResult.Completed completed) {
        Via via = Via.of(completed.session());
        String mx = completed.session().mxHost();
        List<AttemptResult> results = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            RecipientResult result = completed.recipients().get(i);
            SmtpReply reply = result.reply();
            Diagnosis diagnosis = Diagnosis.remote(FailureClassifier.statusOf(reply), reply.toString(), mx);
            DeliveryOutcome outcome;
            if (result.delivered()) {
                outcome = new DeliveryOutcome.Delivered(diagnosis, completed.session().serverOffersDsn());
            } else if (reply.isPermanent()) {
                outcome = new DeliveryOutcome.Bounced(diagnosis);
            } else if (reply.isTransient()) {
                outcome = new DeliveryOutcome.Deferred(diagnosis);
            } else {
                // A positive reply to RCPT that still did not deliver (no end of data): retry.
                outcome = new DeliveryOutcome.Deferred(Diagnosis.remote("4.0.0", reply.toString(), mx));
            }
            results.add(new AttemptResult(recipients.get(i), outcome, via));
        }
        return results;
    }

    private static List<AttemptResult> all(List<ClaimedRecipient> recipients, DeliveryOutcome outcome, Via via) {
        return recipients.stream().map(r -> new AttemptResult(r, outcome, via)).collect(Collectors.toList());
    }

    private static Diagnosis permanent(Diagnosis diagnosis) {
        return new Diagnosis("5" + diagnosis.status().substring(1), diagnosis.text(), diagnosis.remoteMta());
    }

    private static boolean authenticates(HopPolicy security) {
        return security instanceof HopPolicy.Dane || security instanceof HopPolicy.Verified
                || security instanceof HopPolicy.Pinned || security instanceof HopPolicy.Sts;
    }

    private static String describe(HopPolicy security) {
        return switch (security) {
            case HopPolicy.Cleartext ignored -> "TLS is off for it";
            case HopPolicy.Opportunistic ignored -> "no DANE or authenticated TLS policy";
            case HopPolicy.Encrypted encrypted -> "TLS without authentication: " + encrypted.why();
            case HopPolicy.StsTesting ignored -> "the MTA-STS policy is in testing mode, which authenticates nothing";
            case HopPolicy.Skip skip -> skip.reason();
            default -> "authenticated";
        };
    }

    /**
     * The security of one host for mail to {@code domain}: what delivery enforces, and what
     * {@code mta policy} shows.
     */
    public HopPolicy hopPolicy(String domain, NextHop next, HostAddresses.Found resolved) {
        return hopSecurity.decide(policyFor(domain, next), nextHopName(domain, next), next.host(),
                mxSecurity(next), resolved.security(), resolved.canonicalName(), next.port());
    }

    private HopPolicy hopPolicy(String domain, NextHop next, HostAddresses.Found resolved, Supplier<Optional<StsLookup>> sts) {
        return hopSecurity.decide(policyFor(domain, next), nextHopName(domain, next), next.host(),
                mxSecurity(next), resolved.security(), resolved.canonicalName(), next.port(), sts);
    }

    /**
     * The operator's level for this host's destination. The policy table is keyed by the
     * next-hop destination, as Postfix's smtp_tls_policy_maps: the recipient domain, or the
     * relay host of a route; a route's own level wins.
     */
    public DestinationPolicy policyFor(String domain, NextHop next) {
        Optional<DestinationPolicy> fromRoute = next.route().flatMap(StaticRoute::tls).map(DestinationPolicy::of);
        return fromRoute.or(() -> policies.get().find(nextHopName(domain, next))).orElse(DestinationPolicy.DEFAULT);
    }

    /** How the SMTP client will treat TLS on a connection under this hop security. */
    public TlsPolicy tlsPolicy(HopPolicy security) {
        return tlsPolicies.forHop(security);
    }

    public Optional<Credentials> credentialsFor(NextHop next) {
        return credentials(next.route());
    }


    private static String nextHopName(String domain, NextHop next) {
        return next.route().map(r -> r.relayHost().host()).orElse(domain);
    }

    /** The MX answer's DNSSEC status, or empty when no MX lookup chose the host (a bracketed relay host). */
    private static Optional<DnsSecurity> mxSecurity(NextHop next) {
        boolean viaMx = next.route().map(r -> r.relayHost().lookupMx()).orElse(true);
        return viaMx ? Optional.of(next.mxSecurity()) : Optional.empty();
    }

    private static Optional<Credentials> credentials(Optional<StaticRoute> route) {
        return route.flatMap(StaticRoute::credentials).map(c -> new Credentials(c.user(), c.password()));
    }

    static OutboundMessage outbound(Envelope envelope, List<ClaimedRecipient> recipients, long size, BodySource body) {
        List<OutboundRecipient> outbound = new ArrayList<>();
        for (ClaimedRecipient claimed : recipients) {
            EnvelopeRecipient recipient = claimed.recipient();
            outbound.add(new OutboundRecipient(recipient.address(),
                    recipient.notifyOn().stream().map(n -> n.name()).collect(Collectors.toSet()),
                    recipient.originalRecipient()));
        }
        return new OutboundMessage(envelope.sender(), outbound, size,
                envelope.bodyType() == Envelope.BodyType.EIGHT_BIT_MIME, envelope.smtpUtf8(),
                envelope.dsnReturn().map(r -> r.name().toUpperCase(Locale.ROOT)),
                envelope.dsnEnvelopeId(), body, envelope.requireTls());
    }
}
