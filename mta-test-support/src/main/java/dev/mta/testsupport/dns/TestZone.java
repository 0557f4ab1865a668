package dev.mta.testsupport.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One zone of a {@link TestDnsServer}: an SOA and an NS at the apex, and whatever records a test
 * adds. Names are absolute ({@code "mx1.example.org"}, trailing dot optional) and must lie in the
 * zone; targets (MX hosts, CNAME targets) may lie anywhere. Every record gets {@link #TTL}
 * seconds unless added with {@link #record(Record)}.
 *
 * <p>Records are kept as RRsets per owner name in canonical order (RFC 4034 6.1). A test may also
 * swap an RRset for another ({@link #replace}, {@link #replaceTxt}) or take it away
 * ({@link #remove}), as a domain's operator changes its zone while a client keeps asking. Changes
 * are visible to the next query.
 *
 * <p>On a server started with {@link TestDnsServer#startSigned()} a zone is signed (see
 * {@link ZoneSigner}) with a key generated for it, and its parent zone delegates to it with NS
 * and a DS for that key; every change to any zone re-signs what the next query needs. A test
 * makes a signed zone bogus with {@link #brokenSignature()}, {@link #expiredSignatures()} or
 * {@link #dsMismatch()}, or spoils the signature of one RRset only. After a replacement or a
 * removal the zone is signed afresh with the same key, NSEC chain included, so a validator that
 * cached the zone's DNSKEY set accepts the new answers and the new denials (RFC 4035 5.4).
 */
public final class TestZone {
    /** The TTL of records added by the convenience methods, of the SOA, DNSKEY, DS and NSEC records. */
    public static final long TTL = 300;

    private final Name origin;
    private final Zones zones;
    private final Optional<ZoneKey> key;
    private final NavigableMap<Name, Map<Integer, RRset>> nodes = new TreeMap<>();
    private final SOARecord soa;
    private Optional<SignatureFault> wholeZoneFault = Optional.empty();
    private final Map<ZoneSigner.RRsetKey, SignatureFault> rrsetFaults = new HashMap<>();
    private Optional<Instant> signaturesExpire = Optional.empty();
    private volatile boolean dsMismatch;
    private ZoneView view;
    private long viewGeneration = -1;

    TestZone(Name origin, Zones zones, boolean signed) {
        this.origin = origin;
        this.zones = zones;
        this.key = signed ? Optional.of(ZoneKey.generate(origin, TTL)) : Optional.empty();
        this.soa = new SOARecord(origin, DClass.IN, TTL, nameServer(), child("hostmaster"), 1, 3600, 600, 86400, TTL);
        record(soa);
        record(new NSRecord(origin, DClass.IN, TTL, nameServer()));
    }

    /** The apex of the zone, absolute. */
    public Name origin() {
        return origin;
    }

    /** Whether the zone is signed, which it is on a server started signed unless made unsigned. */
    public boolean isSigned() {
        return key.isPresent();
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

    /**
     * A TLSA record (RFC 6698 2.1); {@code name} is the TLSA base name with its port and protocol
     * labels, e.g. {@code "_25._tcp.mx1.example.org"} (RFC 7672 2.2.1).
     */
    public TestZone tlsa(String name, int usage, int selector, int matchingType, byte[] data) {
        return record(new TLSARecord(inZone(name), DClass.IN, TTL, usage, selector, matchingType, data.clone()));
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
        requireServable(record);
        Map<Integer, RRset> node = nodes.getOrDefault(record.getName(), Map.of());
        requireNoCnameConflict(node, record);
        nodes.computeIfAbsent(record.getName(), n -> new TreeMap<>())
                .computeIfAbsent(record.getType(), t -> new RRset()).addRR(record);
        zones.changed();
        return this;
    }

    /**
     * Puts {@code records} in place of the RRset {@code name}/{@code type}, or adds them where the
     * name has no such RRset yet; the name's other RRsets stay. A signed zone is signed afresh, so
     * the new RRset validates as the old one did.
     *
     * @throws IllegalArgumentException when no record is given, a record has another owner, type or
     *                                  class than IN, the name is outside the zone, the type is one
     *                                  the zone keeps itself (SOA; DNSKEY, NSEC and RRSIG when
     *                                  signed), or the RRset would put a CNAME beside other data
     *                                  (RFC 1034 3.6.2)
     */
    public synchronized TestZone replace(String name, int type, Record... records) {
        Name owner = inZone(name);
        requireChangeable(owner, type);
        if (records.length == 0) {
            throw new IllegalArgumentException("no records to put in place of " + owner + "/" + Type.string(type)
                    + "; to take the RRset away use remove");
        }
        RRset replacement = new RRset();
        for (Record record : records) {
            if (!record.getName().equals(owner) || record.getType() != type) {
                throw new IllegalArgumentException("not a record of " + owner + "/" + Type.string(type) + ": " + record);
            }
            requireServable(record);
            replacement.addRR(record);
        }
        Map<Integer, RRset> others = new TreeMap<>(nodes.getOrDefault(owner, Map.of()));
        others.remove(type);
        requireNoCnameConflict(others, records[0]);
        nodes.computeIfAbsent(owner, n -> new TreeMap<>()).put(type, replacement);
        zones.changed();
        return this;
    }

    /**
     * Puts one TXT record whose character-strings are {@code strings} in place of every TXT record
     * at {@code name}, e.g. an MTA-STS record with a new id (RFC 8461 3.1).
     *
     * @see #replace(String, int, Record...)
     */
    public TestZone replaceTxt(String name, String... strings) {
        return replace(name, Type.TXT, new TXTRecord(inZone(name), DClass.IN, TTL, List.of(strings)));
    }

    /**
     * Takes the RRset {@code name}/{@code type} out of the zone. A name left without records no
     * longer exists: it is denied with NXDOMAIN, unless names below it keep it an empty
     * non-terminal (RFC 8020); one with other records left is denied with NODATA for the type. A
     * signed zone is signed afresh, its NSEC chain built again without what went, so the denial
     * is secure (RFC 4035 3.1.3).
     *
     * @throws IllegalArgumentException when the zone has no such RRset (a test that removes what
     *                                  is not there has a mistake in it), or the type is one the
     *                                  zone keeps itself (SOA; DNSKEY, NSEC and RRSIG when signed)
     */
    public synchronized TestZone remove(String name, int type) {
        Name owner = inZone(name);
        requireChangeable(owner, type);
        Map<Integer, RRset> node = nodes.get(owner);
        if (node == null || node.remove(type) == null) {
            throw new IllegalArgumentException("nothing to remove: " + owner + " has no " + Type.string(type)
                    + " records in " + this);
        }
        if (node.isEmpty()) {
            nodes.remove(owner); // the name itself goes, so the NSEC chain no longer passes through it
        }
        zones.changed();
        return this;
    }

    /**
     * Spoils the signature of every RRset of the zone except its DNSKEY set, so that the chain of
     * trust reaches the zone and fails at its data: answers and denials alike are bogus
     * (RFC 4035 5.3.3).
     */
    public synchronized TestZone brokenSignature() {
        requireSigned();
        wholeZoneFault = Optional.of(SignatureFault.BROKEN);
        zones.changed();
        return this;
    }

    /** Spoils the signature of the one RRset {@code name}/{@code type}, e.g. only the TLSA set. */
    public synchronized TestZone brokenSignature(String name, int type) {
        return fault(name, type, SignatureFault.BROKEN);
    }

    /**
     * Signs every RRset of the zone except its DNSKEY set with signatures whose validity ended a
     * day ago (RFC 4035 5.3.1), as a zone whose signer stopped.
     */
    public synchronized TestZone expiredSignatures() {
        requireSigned();
        wholeZoneFault = Optional.of(SignatureFault.EXPIRED);
        zones.changed();
        return this;
    }

    /** Gives the one RRset {@code name}/{@code type} a signature whose validity ended a day ago. */
    public synchronized TestZone expiredSignature(String name, int type) {
        return fault(name, type, SignatureFault.EXPIRED);
    }

    /**
     * Lets every good signature of the zone, its DNSKEY set's included, expire at {@code
     * expiration} instead of thirty days from now: what a cache must not outlive (RFC 4035 5.3.3).
     */
    public synchronized TestZone signaturesExpireAt(Instant expiration) {
        requireSigned();
        signaturesExpire = Optional.of(expiration);
        zones.changed();
        return this;
    }

    /**
     * Makes the DS that the parent publishes for this zone carry a digest that matches no key of
     * the zone, so the chain of trust breaks at the delegation (RFC 4035 5.2).
     */
    public TestZone dsMismatch() {
        requireSigned();
        dsMismatch = true;
        zones.changed();
        return this;
    }

    /** The DS record the parent publishes for this zone, or empty when the zone is unsigned. */
    Optional<DSRecord> delegationSigner() {
        return key.map(k -> {
            DSRecord ds = k.ds(TTL);
            if (!dsMismatch) {
                return ds;
            }
            byte[] digest = ds.getDigest();
            digest[0] ^= 0x5a;
            return new DSRecord(origin, DClass.IN, TTL, ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), digest);
        });
    }

    /** The name server named by the apex NS record, which a parent's delegation names too. */
    Name nameServer() {
        return child("ns1");
    }

    /**
     * Writes the answer for {@code qname}/{@code qtype} into {@code response}: the RRset, or the
     * CNAME chain within this zone and what its end holds, or a negative answer with the SOA in
     * the authority section (RFC 2308 2.1, 2.2). With {@code dnssecOk} (the DO bit, RFC 3225 3) a
     * signed zone adds the RRSIGs and the NSEC records that prove a negative answer (RFC 4035 3.1).
     *
     * @return the target of a CNAME that leads out of this zone, where the answer stops as on an
     *         authoritative-only server; a resolver (or the signed server itself) goes on there
     */
    synchronized Optional<Name> answer(Name qname, int qtype, Message response, boolean dnssecOk) {
        ZoneView served = view();
        Name name = qname;
        Set<Name> visited = new HashSet<>();
        while (visited.add(name)) {
            Map<Integer, RRset> node = served.node(name);
            if (node == null) {
                boolean exists = served.hasDescendants(name);
                if (!exists) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                served.addDenial(name, exists, response, dnssecOk);
                return Optional.empty();
            }
            RRset wanted = node.get(qtype);
            if (wanted != null) {
                ZoneView.add(wanted, response, Section.ANSWER, dnssecOk);
                return Optional.empty();
            }
            RRset cname = node.get(Type.CNAME);
            if (cname == null || qtype == Type.CNAME) {
                served.addDenial(name, true, response, dnssecOk);
                return Optional.empty();
            }
            // RFC 1034 4.3.2 step 3.a: give the CNAME, then look up its target.
            ZoneView.add(cname, response, Section.ANSWER, dnssecOk);
            name = ((CNAMERecord) cname.first()).getTarget();
            if (!name.subdomain(origin)) {
                return Optional.of(name);
            }
        }
        // A CNAME loop: the answer holds the chain up to the repetition; the client sees the loop.
        return Optional.empty();
    }

    /** What the zone serves now, built again when this or any other zone changed since. */
    private ZoneView view() {
        long generation = zones.generation();
        if (view == null || viewGeneration != generation) {
            view = build();
            viewGeneration = generation;
        }
        return view;
    }

    private ZoneView build() {
        NavigableMap<Name, Map<Integer, RRset>> copy = new TreeMap<>();
        nodes.forEach((name, node) -> {
            Map<Integer, RRset> types = new TreeMap<>();
            node.forEach((type, rrset) -> types.put(type, new RRset(rrset)));
            copy.put(name, types);
        });
        Set<Name> cuts = new TreeSet<>();
        for (TestZone child : zones.childrenOf(this)) {
            // RFC 1034 4.2.1: the parent holds the child's NS records at the cut; DNSSEC adds the DS.
            cuts.add(child.origin);
            Map<Integer, RRset> cut = copy.computeIfAbsent(child.origin, n -> new TreeMap<>());
            cut.put(Type.NS, new RRset(new NSRecord(child.origin, DClass.IN, TTL, child.nameServer())));
            child.delegationSigner().ifPresent(ds -> cut.put(Type.DS, new RRset(ds)));
        }
        if (key.isEmpty()) {
            return new ZoneView(origin, copy, new TreeSet<>());
        }
        Instant now = zones.clock().instant();
        ZoneSigner signer = new ZoneSigner(origin, key.get(), now,
                signaturesExpire.orElse(now.plus(ZoneSigner.VALIDITY)),
                new ZoneSigner.Faults(wholeZoneFault, Map.copyOf(rrsetFaults)));
        return signer.sign(copy, cuts, soa.getMinimum());
    }

    private TestZone fault(String name, int type, SignatureFault fault) {
        requireSigned();
        rrsetFaults.put(new ZoneSigner.RRsetKey(inZone(name), type), fault);
        zones.changed();
        return this;
    }

    private void requireServable(Record record) {
        if (!record.getName().subdomain(origin)) {
            throw new IllegalArgumentException(record.getName() + " is outside the zone " + origin);
        }
        if (record.getDClass() != DClass.IN) {
            throw new IllegalArgumentException("only class IN is served: " + record);
        }
    }

    /** RFC 1034 3.6.2: a name with a CNAME has no other data. */
    private static void requireNoCnameConflict(Map<Integer, RRset> node, Record record) {
        boolean conflict = record.getType() == Type.CNAME
                ? node.keySet().stream().anyMatch(t -> t != Type.CNAME)
                : node.containsKey(Type.CNAME);
        if (conflict) {
            throw new IllegalArgumentException("a CNAME cannot share its name with other data (RFC 1034 3.6.2): " + record);
        }
    }

    /**
     * The SOA answers every denial and gives the NSEC TTL, so it stays; in a signed zone the
     * signer makes the DNSKEY set, the NSEC chain and the signatures (RFC 4035 2), which a change
     * by hand would only be overwritten by or contradict.
     */
    private void requireChangeable(Name owner, int type) {
        boolean signerOwns = isSigned() && (type == Type.DNSKEY || type == Type.NSEC || type == Type.RRSIG);
        if (type == Type.SOA || signerOwns) {
            throw new IllegalArgumentException("the " + Type.string(type) + " records of " + this
                    + " are kept by the zone itself and cannot be replaced or removed (" + owner + ")");
        }
    }

    private void requireSigned() {
        if (key.isEmpty()) {
            throw new IllegalStateException("zone " + origin + " is not signed; start the server with startSigned()");
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
        return DnsNames.absolute(origin.equals(Name.root) ? label : label + "." + origin);
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
