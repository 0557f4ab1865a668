package dev.mta.testsupport.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One zone of a {@link TestDnsServer}: an SOA and an NS at the apex, and whatever records a test
 * adds. Names are absolute ({@code "mx1.example.org"}, trailing dot optional) and must lie in the
 * zone; targets (MX hosts, CNAME targets) may lie anywhere. Every record gets {@link #TTL}
 * seconds unless added with {@link #record(Record)}.
 *
 * <p>Records are kept as RRsets per owner name in canonical order (RFC 4034 6.1), the shape that
 * DNSSEC signing and NSEC chains work on. Changes are visible to the next query.
 */
public final class TestZone {
    /** The TTL of records added by the convenience methods, and of the SOA. */
    public static final long TTL = 300;

    private final Name origin;
    private final NavigableMap<Name, Map<Integer, RRset>> nodes = new TreeMap<>();
    private final SOARecord soa;

    TestZone(Name origin) {
        this.origin = origin;
        Name nameServer = child("ns1");
        this.soa = new SOARecord(origin, DClass.IN, TTL, nameServer, child("hostmaster"), 1, 3600, 600, 86400, TTL);
        record(soa);
        record(new NSRecord(origin, DClass.IN, TTL, nameServer));
    }

    /** The apex of the zone, absolute. */
    public Name origin() {
        return origin;
    }

    public TestZone mx(String name, int preference, String host) {
        return record(new MXRecord(inZone(name), DClass.IN, TTL, preference, DnsNames.absolute(host)));
    }

    /** The null MX of RFC 7505 3: a single MX with preference 0 and the root as exchange. */
    public TestZone nullMx(String name) {
        return record(new MXRecord(inZone(name), DClass.IN, TTL, 0, Name.root));
    }

    /** An A record; {@code address} must be an IPv4 literal. */
    public TestZone a(String name, String address) {
        return record(new ARecord(inZone(name), DClass.IN, TTL, literal(address, Address.IPv4)));
    }

    /** An AAAA record; {@code address} must be an IPv6 literal. */
    public TestZone aaaa(String name, String address) {
        return record(new AAAARecord(inZone(name), DClass.IN, TTL, literal(address, Address.IPv6)));
    }

    public TestZone cname(String name, String target) {
        return record(new CNAMERecord(inZone(name), DClass.IN, TTL, DnsNames.absolute(target)));
    }

    /** One TXT record whose character-strings are {@code strings}. */
    public TestZone txt(String name, String... strings) {
        return record(new TXTRecord(inZone(name), DClass.IN, TTL, List.of(strings)));
    }

    /**
     * Adds any record of class IN owned by a name in this zone.
     *
     * @throws IllegalArgumentException when the owner is outside the zone, or the record would put
     *                                  a CNAME beside other data (RFC 1034 3.6.2)
     */
    public synchronized TestZone record(Record record) {
        Name owner = record.getName();
        if (!owner.subdomain(origin)) {
            throw new IllegalArgumentException(owner + " is outside the zone " + origin);
        }
        if (record.getDClass() != DClass.IN) {
            throw new IllegalArgumentException("only class IN is served: " + record);
        }
        Map<Integer, RRset> node = nodes.computeIfAbsent(owner, n -> new TreeMap<>());
        int type = record.getType();
        boolean cnameConflict = type == Type.CNAME
                ? node.keySet().stream().anyMatch(t -> t != Type.CNAME)
                : node.containsKey(Type.CNAME);
        if (cnameConflict) {
            throw new IllegalArgumentException("a CNAME cannot share its name with other data (RFC 1034 3.6.2): " + record);
        }
        node.computeIfAbsent(type, t -> new RRset()).addRR(record);
        return this;
    }

    /**
     * Writes the answer for {@code qname}/{@code qtype} into {@code response}: the RRset, or the
     * CNAME chain within this zone and what its end holds, or a negative answer with the SOA in
     * the authority section (RFC 2308 2.1, 2.2). A CNAME whose target lies outside the zone ends
     * the answer, as on an authoritative-only server; the client asks again for the target.
     */
    synchronized void answer(Name qname, int qtype, Message response) {
        Name name = qname;
        Set<Name> visited = new HashSet<>();
        while (visited.add(name)) {
            Map<Integer, RRset> node = nodes.get(name);
            if (node == null) {
                // RFC 8020: a name with names below it (an empty non-terminal) exists.
                if (!hasDescendants(name)) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                addNegativeProof(response);
                return;
            }
            RRset wanted = node.get(qtype);
            if (wanted != null) {
                add(wanted, response, Section.ANSWER);
                return;
            }
            RRset cname = node.get(Type.CNAME);
            if (cname == null || qtype == Type.CNAME) {
                addNegativeProof(response);
                return;
            }
            // RFC 1034 4.3.2 step 3.a: give the CNAME, then look up its target.
            add(cname, response, Section.ANSWER);
            name = ((CNAMERecord) cname.first()).getTarget();
            if (!name.subdomain(origin)) {
                return;
            }
        }
        // A CNAME loop: the answer holds the chain up to the repetition; the client sees the loop.
    }

    private boolean hasDescendants(Name name) {
        // Canonical order puts every name below `name` right after it.
        Name next = nodes.higherKey(name);
        return next != null && next.subdomain(name);
    }

    private void addNegativeProof(Message response) {
        // RFC 2308 3: a negative answer carries the SOA with the smaller of its TTL and MINIMUM,
        // which are equal here.
        response.addRecord(soa, Section.AUTHORITY);
    }

    private static void add(RRset rrset, Message response, int section) {
        // rrs(false): the order they were added in; dnsjava would otherwise rotate them.
        for (Record record : rrset.rrs(false)) {
            response.addRecord(record, section);
        }
    }

    private Name inZone(String name) {
        Name absolute = DnsNames.absolute(name);
        if (!absolute.subdomain(origin)) {
            throw new IllegalArgumentException(name + " is outside the zone " + origin);
        }
        return absolute;
    }

    private Name child(String label) {
        return DnsNames.absolute(label + "." + origin);
    }

    private static InetAddress literal(String address, int family) {
        try {
            return Address.getByAddress(address, family);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv" + (family == Address.IPv4 ? 4 : 6)
                    + " address literal: " + address, e);
        }
    }

    @Override
    public String toString() {
        return "zone " + origin;
    }
}
