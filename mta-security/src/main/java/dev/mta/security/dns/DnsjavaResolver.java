package dev.mta.security.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
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
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * The DNS port on dnsjava: sends each question through a {@link Resolver} (UDP, and TCP when an
 * answer comes back truncated), reads the RCODE and answer section itself, and follows CNAME
 * chains of up to {@value #MAX_CNAMES} links. Thread-safe; each call blocks its (virtual) thread.
 *
 * <p>The resolver is injected so that a validating one can stand in front of the servers; the
 * DNSSEC status of every answer is decided in {@link AnswerSecurity}.
 */
public final class DnsjavaResolver implements DnsResolver {
    /** Longer chains are almost surely loops or mistakes; resolvers cap them similarly. */
    static final int MAX_CNAMES = 8;

    private final Resolver resolver;
    private final Duration questionTimeout;
    // dnsjava continues its futures on the executor given; the common pool can be one thread.
    private final Executor executor = task -> Thread.ofVirtual().name("dns-answer").start(task);

    /**
     * @param resolver        sends one query and brings back the answer
     * @param questionTimeout how long one question may take, every server and attempt included
     */
    public DnsjavaResolver(Resolver resolver, Duration questionTimeout) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.questionTimeout = Objects.requireNonNull(questionTimeout, "questionTimeout");
        if (!questionTimeout.isPositive()) {
            throw new IllegalArgumentException("timeout must be positive: " + questionTimeout);
        }
    }

    /**
     * A resolver asking the servers of {@code settings} in the configured order (dnsjava moves
     * servers that failed recently to the back), each up to {@code attempts} times with
     * {@code timeout} per attempt; one question takes at most timeout × attempts × servers.
     *
     * @throws IllegalStateException when no server is configured and the system names none
     */
    public static DnsjavaResolver create(DnsSettings settings) {
        List<InetSocketAddress> servers = settings.servers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers()
                : settings.servers();
        if (servers.isEmpty()) {
            throw new IllegalStateException("no DNS servers: none configured, and the system's resolver configuration names none");
        }
        // Built empty and filled with addResolver, which keeps the configured order.
        ExtendedResolver resolver = new ExtendedResolver(List.of());
        for (InetSocketAddress server : servers) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setTimeout(settings.timeout());
            resolver.addResolver(simple);
        }
        resolver.setLoadBalance(false);
        resolver.setRetries(settings.attempts());
        Duration questionTimeout = settings.timeout().multipliedBy((long) settings.attempts() * servers.size());
        // ExtendedResolver's own deadline lies beyond ours, so that ours decides and says "no answer".
        resolver.setTimeout(questionTimeout.plus(settings.timeout()));
        return new DnsjavaResolver(resolver, questionTimeout);
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

    /**
     * Asks for {@code type} at {@code qname} and follows CNAMEs, within one answer as a recursive
     * server gives them (RFC 1034 4.3.2) and by asking again where an answer stops at a CNAME.
     */
    private <T> DnsResult<T> lookup(Name qname, int type, Function<Record, T> reader) {
        Name asked = qname;
        Set<Name> chain = new HashSet<>(Set.of(qname));
        DnsSecurity security = DnsSecurity.SECURE; // the identity of weakest()
        while (true) {
            Exchange exchange = ask(asked, type);
            if (exchange instanceof Unanswered unanswered) {
                return new DnsResult.Failed<>(unanswered.reason() + " (" + describe(asked, type) + ")",
                        AnswerSecurity.weakest(security, AnswerSecurity.unanswered()));
            }
            Message response = ((Answered) exchange).response();
            security = AnswerSecurity.weakest(security, AnswerSecurity.of(response));
            int rcode = response.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                return new DnsResult.Failed<>(Rcode.string(rcode) + " from the DNS server (" + describe(asked, type) + ")", security);
            }
            List<Record> answer = response.getSection(Section.ANSWER);
            Name name = asked;
            while (true) {
                List<T> records = recordsAt(answer, name, type, reader);
                if (!records.isEmpty()) {
                    return new DnsResult.Found<>(records, security);
                }
                Optional<Name> target = cnameTarget(answer, name);
                if (target.isEmpty()) {
                    break;
                }
                if (!chain.add(target.get())) {
                    return new DnsResult.Failed<>("CNAME loop at " + QueryNames.text(target.get())
                            + " (" + describe(qname, type) + ")", security);
                }
                if (chain.size() > MAX_CNAMES + 1) {
                    return new DnsResult.Failed<>("CNAME chain longer than " + MAX_CNAMES
                            + " (" + describe(qname, type) + ")", security);
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

    private record Answered(Message response) implements Exchange {
    }

    private record Unanswered(String reason) implements Exchange {
    }

    private Exchange ask(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        CompletableFuture<Message> pending = resolver.sendAsync(query, executor).toCompletableFuture();
        try {
            return new Answered(pending.get(questionTimeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            pending.cancel(true);
            return new Unanswered(noAnswerInTime());
        } catch (ExecutionException e) {
            return new Unanswered(whyUnanswered(e.getCause()));
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return new Unanswered("interrupted while waiting for the answer");
        }
    }

    /** Names the cause by its type; dnsjava wraps causes in CompletionException and IOException. */
    private String whyUnanswered(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                return noAnswerInTime();
            }
            if (cause instanceof WireParseException) {
                return "malformed answer: " + cause.getMessage();
            }
            if (cause instanceof PortUnreachableException) {
                return "network error: the DNS server's port is unreachable";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root instanceof IOException ? "network error: " + detail : "DNS client error: " + detail;
    }

    private String noAnswerInTime() {
        return "no answer within " + questionTimeout.toMillis() + " ms";
    }

    private static String describe(Name name, int type) {
        return QueryNames.text(name) + "/" + Type.string(type);
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
