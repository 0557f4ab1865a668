package dev.mta.security.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * The DNS port on dnsjava: sends each question through a {@link Resolver} (UDP, and TCP when an
 * answer comes back truncated), reads the RCODE and answer section itself, and follows CNAME
 * chains of up to {@value #MAX_CNAMES} links. Each answer is judged by {@link AnswerSecurity}
 * and kept in an {@link AnswerCache}. Each lookup served, from the servers or the cache, is told
 * once to the {@link DnsLookupObserver} given at creation (metrics).
 *
 * <p>In {@link DnssecMode#VALIDATE} the resolver is dnsjava's {@link ValidatingResolver} loaded
 * with the trust anchors, in front of the configured servers; in TRUST_AD the servers are asked
 * with the AD and DO bits (RFC 6840 5.7, RFC 3225) and their AD bit believed; in OFF they are
 * asked plainly.
 *
 * <p>Thread-safe. Each call blocks its (virtual) thread, but the queries themselves are
 * asynchronous (dnsjava's non-blocking I/O, continuations on virtual threads), so any number of
 * lookups proceed side by side and a slow server holds up only the questions put to it.
 */
public final class DnsjavaResolver implements DnsResolver {
    /** Longer chains are almost surely loops or mistakes; resolvers cap them similarly. */
    static final int MAX_CNAMES = 8;

    private final Resolver resolver;
    private final DnssecMode mode;
    private final AnswerSecurity judge;
    private final AnswerCache cache;
    private final Duration questionTimeout;
    private final DnsLookupObserver observer;
    // dnsjava continues its futures on the executor given; the common pool can be one thread.
    private final Executor executor = task -> Thread.ofVirtual().name("dns-answer").start(task);

    /**
     * @param resolver        sends one query and brings back the answer, validated if {@code mode}
     *                        is VALIDATE
     * @param questionTimeout how long one question may take, every server and attempt (and, when
     *                        validating, every DS and DNSKEY query it needs) included
     */
    DnsjavaResolver(Resolver resolver, DnssecMode mode, Duration questionTimeout, Clock clock, int cacheCapacity,
            DnsLookupObserver observer) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.judge = new AnswerSecurity(mode);
        this.cache = new AnswerCache(clock, cacheCapacity);
        this.questionTimeout = Objects.requireNonNull(questionTimeout, "questionTimeout");
        this.observer = DnsLookupObserver.guarded(observer);
        if (!questionTimeout.isPositive()) {
            throw new IllegalArgumentException("timeout must be positive: " + questionTimeout);
        }
    }

    /** As {@link #create(DnsSettings, Clock)} with the system clock. */
    public static DnsjavaResolver create(DnsSettings settings) {
        return create(settings, Clock.systemUTC());
    }

    /**
     * A resolver asking the servers of {@code settings} in the configured order (dnsjava moves
     * servers that failed recently to the back), each up to {@code attempts} times with
     * {@code timeout} per attempt; one question takes at most timeout × attempts × servers.
     *
     * @param clock the time for signature validity and cache expiry
     * @throws IllegalStateException    when no server is configured and the system names none
     * @throws IllegalArgumentException when the trust anchors file cannot be used (see
     *                                  {@link TrustAnchors#read})
     */
    public static DnsjavaResolver create(DnsSettings settings, Clock clock) {
        return create(settings, clock, DnsLookupObserver.NONE);
    }

    /**
     * As {@link #create(DnsSettings, Clock)}, telling {@code observer} of every lookup served.
     *
     * @param observer told once per lookup; what it throws is logged and ignored
     */
    public static DnsjavaResolver create(DnsSettings settings, Clock clock, DnsLookupObserver observer) {
        return create(settings, clock, AnswerCache.DEFAULT_CAPACITY, observer);
    }

    static DnsjavaResolver create(DnsSettings settings, Clock clock, int cacheCapacity) {
        return create(settings, clock, cacheCapacity, DnsLookupObserver.NONE);
    }

    static DnsjavaResolver create(DnsSettings settings, Clock clock, int cacheCapacity, DnsLookupObserver observer) {
        List<InetSocketAddress> servers = settings.servers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers()
                : settings.servers();
        if (servers.isEmpty()) {
            throw new IllegalStateException("no DNS servers: none configured, and the system's resolver configuration names none");
        }
        // Built empty and filled with addResolver, which keeps the configured order.
        ExtendedResolver upstream = new ExtendedResolver(List.of());
        for (InetSocketAddress server : servers) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setTimeout(settings.timeout());
            upstream.addResolver(simple);
        }
        upstream.setLoadBalance(false);
        upstream.setRetries(settings.attempts());
        Duration questionTimeout = settings.timeout().multipliedBy((long) settings.attempts() * servers.size());
        // ExtendedResolver's own deadline lies beyond ours, so that ours decides and says "no answer".
        upstream.setTimeout(questionTimeout.plus(settings.timeout()));
        Resolver resolver = switch (settings.dnssec()) {
            case OFF -> upstream;
            case TRUST_AD -> {
                // RFC 3225 3: with DO the server includes DNSSEC records, whose RRSIGs bound caching.
                upstream.setEDNS(0, 0, ExtendedFlags.DO, List.of());
                yield upstream;
            }
            case VALIDATE -> validator(upstream, TrustAnchors.read(settings.trustAnchors().orElseThrow()), clock);
        };
        return new DnsjavaResolver(resolver, settings.dnssec(), questionTimeout, clock, cacheCapacity, observer);
    }

    private static ValidatingResolver validator(Resolver upstream, TrustAnchors anchors, Clock clock) {
        // The validator sets DO and CD on what it sends (so the servers pass signatures through and
        // do not withhold data they think bogus) and asks for the DS and DNSKEY sets it needs.
        ValidatingResolver validator = new ValidatingResolver(new ServerErrors(upstream), clock);
        validator.setAddReasonToAdditional(true); // AnswerSecurity reads the verdict's reason from it
        anchors.installInto(validator);
        return validator;
    }

    @Override
    public DnsResult<MxRecord> mx(String domain) {
        return lookup(QueryNames.toName(domain), Type.MX,
                record -> new MxRecord(((MXRecord) record).getPriority(), QueryNames.text(((MXRecord) record).getTarget())));
    }

    @Override
    public DnsResult<InetAddress> ipv4(String host) {
        Name name = QueryNames.toName(host);
        return lookup(name, Type.A, record -> address(name, ((ARecord) record).getAddress()));
    }

    @Override
    public DnsResult<InetAddress> ipv6(String host) {
        Name name = QueryNames.toName(host);
        return lookup(name, Type.AAAA, record -> address(name, ((AAAARecord) record).getAddress()));
    }

    @Override
    public DnsResult<TlsaRecord> tlsa(String name) {
        return lookup(QueryNames.toName(name), Type.TLSA, record -> {
            TLSARecord tlsa = (TLSARecord) record;
            return new TlsaRecord(tlsa.getCertificateUsage(), tlsa.getSelector(), tlsa.getMatchingType(),
                    tlsa.getCertificateAssociationData());
        });
    }

    /** One lookup, told to the observer once whatever it took. */
    private <T> DnsResult<T> lookup(Name qname, int type, Function<Record, T> reader) {
        Progress progress = new Progress();
        DnsResult<T> result = resolve(qname, type, reader, progress);
        observer.answered(new DnsLookup(Type.string(type), progress.rcode, result.security(), progress.everyAnswerCached));
        return result;
    }

    /** What the exchanges of one lookup came to: the RCODE the result rests on, and whether any server was asked. */
    private static final class Progress {
        String rcode = DnsLookup.CLIENT_ERROR; // replaced by the first exchange
        boolean everyAnswerCached = true;

        void record(Exchange exchange) {
            switch (exchange) {
                case Answered answered -> {
                    rcode = Rcode.string(answered.response().getRcode());
                    everyAnswerCached &= answered.cached();
                }
                case Unanswered unanswered -> {
                    rcode = unanswered.rcode();
                    everyAnswerCached = false;
                }
            }
        }
    }

    /**
     * Asks for {@code type} at {@code qname} and follows CNAMEs, within one answer as a recursive
     * server gives them (RFC 1034 4.3.2) and by asking again where an answer stops at a CNAME.
     */
    private <T> DnsResult<T> resolve(Name qname, int type, Function<Record, T> reader, Progress progress) {
        Name asked = qname;
        Set<Name> chain = new HashSet<>(Set.of(qname));
        DnsSecurity security = DnsSecurity.SECURE; // the identity of weakest()
        while (true) {
            Exchange exchange = ask(asked, type);
            progress.record(exchange);
            if (exchange instanceof Unanswered unanswered) {
                return new DnsResult.Failed<>(unanswered.reason() + " (" + QueryNames.question(asked, type) + ")",
                        AnswerSecurity.weakest(security, AnswerSecurity.unanswered()));
            }
            Message response = ((Answered) exchange).response();
            DnsSecurity answerSecurity = ((Answered) exchange).security();
            security = AnswerSecurity.weakest(security, answerSecurity);
            if (answerSecurity == DnsSecurity.BOGUS) {
                // RFC 4035 4.3: bogus data is not to be used; the caller defers.
                return new DnsResult.Failed<>("DNSSEC validation failed: "
                        + AnswerSecurity.reason(response).orElse("no reason given")
                        + " (" + QueryNames.question(asked, type) + ")", security);
            }
            int rcode = response.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                return new DnsResult.Failed<>(Rcode.string(rcode) + " from the DNS server ("
                        + QueryNames.question(asked, type) + ")", security);
            }
            if (answerSecurity == DnsSecurity.INDETERMINATE) {
                return new DnsResult.Failed<>("DNSSEC validation could not be completed: a DS or DNSKEY query"
                        + " went unanswered (" + QueryNames.question(asked, type) + ")", security);
            }
            List<Record> answer = response.getSection(Section.ANSWER);
            Name name = asked;
            while (true) {
                List<T> records = recordsAt(answer, name, type, reader);
                if (!records.isEmpty()) {
                    Optional<String> canonical = name.equals(qname) ? Optional.empty() : Optional.of(QueryNames.text(name));
                    return new DnsResult.Found<>(records, security, canonical);
                }
                Optional<Name> target = cnameTarget(answer, name);
                if (target.isEmpty()) {
                    break;
                }
                if (!chain.add(target.get())) {
                    return new DnsResult.Failed<>("CNAME loop at " + QueryNames.text(target.get())
                            + " (" + QueryNames.question(qname, type) + ")", security);
                }
                if (chain.size() > MAX_CNAMES + 1) {
                    return new DnsResult.Failed<>("CNAME chain longer than " + MAX_CNAMES
                            + " (" + QueryNames.question(qname, type) + ")", security);
                }
                name = target.get();
            }
            if (rcode == Rcode.NXDOMAIN) {
                return new DnsResult.NxDomain<>(security); // RFC 6604 2.1: about the chain's last name
            }
            if (name.equals(asked)) {
                return new DnsResult.NoData<>(security);
            }
            // The answer stopped at a CNAME whose target it does not cover (an authoritative
            // server does so at its zone's edge): ask for the target itself.
            asked = name;
        }
    }

    private static <T> List<T> recordsAt(List<Record> answer, Name name, int type, Function<Record, T> reader) {
        List<T> records = new ArrayList<>();
        for (Record record : answer) {
            if (record.getType() == type && record.getDClass() == DClass.IN && record.getName().equals(name)) {
                records.add(reader.apply(record));
            }
        }
        return records;
    }

    private static Optional<Name> cnameTarget(List<Record> answer, Name name) {
        return answer.stream()
                .filter(record -> record.getType() == Type.CNAME && record.getDClass() == DClass.IN
                        && record.getName().equals(name))
                .map(record -> ((CNAMERecord) record).getTarget())
                .findFirst();
    }

    private sealed interface Exchange permits Answered, Unanswered {
    }

    /** @param cached taken from the cache, no server asked */
    private record Answered(Message response, DnsSecurity security, boolean cached) implements Exchange {
    }

    /** @param rcode what {@link DnsLookup#rcode()} says of it */
    private record Unanswered(String reason, String rcode) implements Exchange {
    }

    private Exchange ask(Name name, int type) {
        Optional<Message> cached = cache.get(name, type);
        if (cached.isPresent()) {
            return new Answered(cached.get(), judge.of(cached.get()), true);
        }
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (mode == DnssecMode.TRUST_AD) {
            query.getHeader().setFlag(Flags.AD); // RFC 6840 5.7: ask for the AD bit
        }
        CompletableFuture<Message> pending = resolver.sendAsync(query, executor).toCompletableFuture();
        Message response;
        try {
            response = pending.get(questionTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return new Unanswered(noAnswerInTime(), DnsLookup.TIMEOUT);
        } catch (ExecutionException e) {
            return whyUnanswered(e.getCause(), QueryNames.question(name, type));
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return new Unanswered("interrupted while waiting for the answer", DnsLookup.INTERRUPTED);
        }
        DnsSecurity security = judge.of(response);
        cache.put(name, type, response, security);
        return new Answered(response, security, false);
    }

    /** Names the cause by its type; dnsjava wraps causes in CompletionException and IOException. */
    private Unanswered whyUnanswered(Throwable failure, String question) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServerErrors.ServerErrorException serverError) {
                // Validating, the failed query may be a DS or DNSKEY query along the chain: say which.
                // Either way the lookup rests on that error answer, so its RCODE is the lookup's.
                String rcode = Rcode.string(serverError.rcode());
                return new Unanswered(serverError.question().equals(question)
                        ? rcode + " from the DNS server"
                        : serverError.getMessage() + " while validating", rcode);
            }
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                return new Unanswered(noAnswerInTime(), DnsLookup.TIMEOUT);
            }
            if (cause instanceof WireParseException) {
                return new Unanswered("malformed answer: " + cause.getMessage(), DnsLookup.MALFORMED);
            }
            if (cause instanceof PortUnreachableException) {
                return new Unanswered("network error: the DNS server's port is unreachable", DnsLookup.NETWORK_ERROR);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root instanceof IOException
                ? new Unanswered("network error: " + detail, DnsLookup.NETWORK_ERROR)
                : new Unanswered("DNS client error: " + detail, DnsLookup.CLIENT_ERROR);
    }

    private String noAnswerInTime() {
        return "no answer within " + questionTimeout.toMillis() + " ms";
    }

    /** The address under the name that was asked for, so that printing it needs no reverse lookup. */
    private static InetAddress address(Name asked, InetAddress address) {
        try {
            return InetAddress.getByAddress(QueryNames.text(asked), address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address from a DNS record has a bad length", e);
        }
    }
}
