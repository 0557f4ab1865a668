package dev.mta.security.mtasts;

import dev.mta.security.dns.DnsLookup;
import dev.mta.security.dns.DnsLookupObserver;
import dev.mta.security.dns.DnsResult;
import dev.mta.security.dns.DnsSecurity;
import dev.mta.security.dns.DnsSettings;
import java.io.IOException;
import java.net.IDN;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * TXT lookups with dnsjava, asking the servers of the relay's {@link DnsSettings} in order with
 * its timeout and attempts, as {@link dev.mta.security.dns.DnsjavaResolver} does. CNAMEs in the
 * answer are followed. MTA-STS rests on PKIX, not DNSSEC (RFC 8461 10.1), so answers are not
 * validated and are reported INSECURE. Nothing is cached here (the policy cache is what spares
 * lookups); each lookup is told to the {@link DnsLookupObserver} given at creation.
 */
public final class DnsjavaTxtLookup implements TxtLookup {
    private static final int MAX_CNAMES = 8;

    private final ExtendedResolver resolver;
    private final DnsLookupObserver observer;

    private DnsjavaTxtLookup(ExtendedResolver resolver, DnsLookupObserver observer) {
        this.resolver = resolver;
        this.observer = DnsLookupObserver.guarded(observer);
    }

    /**
     * @throws IllegalStateException when no server is configured and the system names none
     */
    public static DnsjavaTxtLookup create(DnsSettings settings) {
        return create(settings, DnsLookupObserver.NONE);
    }

    /**
     * As {@link #create(DnsSettings)}, telling {@code observer} of every lookup.
     *
     * @param observer told once per lookup; what it throws is logged and ignored
     */
    public static DnsjavaTxtLookup create(DnsSettings settings, DnsLookupObserver observer) {
        Objects.requireNonNull(observer, "observer");
        List<InetSocketAddress> servers = settings.servers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers()
                : settings.servers();
        if (servers.isEmpty()) {
            throw new IllegalStateException("no DNS servers: none configured, and the system's resolver configuration names none");
        }
        ExtendedResolver resolver = new ExtendedResolver(List.of());
        for (InetSocketAddress server : servers) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setTimeout(settings.timeout());
            resolver.addResolver(simple);
        }
        resolver.setLoadBalance(false);
        resolver.setRetries(settings.attempts());
        resolver.setTimeout(settings.timeout().multipliedBy((long) settings.attempts() * servers.size()));
        return new DnsjavaTxtLookup(resolver, observer);
    }

    @Override
    public DnsResult<List<String>> txt(String name) {
        Objects.requireNonNull(name, "name");
        Name qname = toName(name);
        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(qname, Type.TXT, DClass.IN)));
        } catch (IOException e) {
            observer.answered(new DnsLookup("TXT", unansweredRcode(e), DnsSecurity.INDETERMINATE, false));
            return new DnsResult.Failed<>("no answer (" + e.getMessage() + ") for " + name + "/TXT", DnsSecurity.INDETERMINATE);
        }
        DnsResult<List<String>> result = read(name, qname, response);
        observer.answered(new DnsLookup("TXT", Rcode.string(response.getRcode()), result.security(), false));
        return result;
    }

    /** What {@link DnsLookup#rcode()} says of a question that got no answer; dnsjava wraps the cause. */
    private static String unansweredRcode(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                return DnsLookup.TIMEOUT;
            }
            if (cause instanceof WireParseException) {
                return DnsLookup.MALFORMED;
            }
        }
        return DnsLookup.NETWORK_ERROR;
    }

    private static DnsResult<List<String>> read(String name, Name qname, Message response) {
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return new DnsResult.Failed<>(Rcode.string(rcode) + " from the DNS server (" + name + "/TXT)", DnsSecurity.INSECURE);
        }
        List<Record> answer = response.getSection(Section.ANSWER);
        Name owner = qname;
        Set<Name> chain = new HashSet<>(Set.of(qname));
        while (true) {
            List<List<String>> records = new ArrayList<>();
            Name current = owner;
            for (Record record : answer) {
                if (record instanceof TXTRecord txt && record.getName().equals(current)) {
                    records.add(List.copyOf(txt.getStrings()));
                }
            }
            if (!records.isEmpty()) {
                return new DnsResult.Found<>(records, DnsSecurity.INSECURE);
            }
            Name target = null;
            for (Record record : answer) {
                if (record instanceof CNAMERecord cname && record.getName().equals(current)) {
                    target = cname.getTarget();
                }
            }
            if (target == null || !chain.add(target) || chain.size() > MAX_CNAMES + 1) {
                break;
            }
            owner = target;
        }
        return rcode == Rcode.NXDOMAIN ? new DnsResult.NxDomain<>(DnsSecurity.INSECURE) : new DnsResult.NoData<>(DnsSecurity.INSECURE);
    }

    private static Name toName(String name) {
        String text = name.endsWith(".") ? name : name + ".";
        try {
            return Name.fromString(IDN.toASCII(text).toLowerCase(Locale.ROOT));
        } catch (TextParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a domain name: '" + name + "'", e);
        }
    }
}
