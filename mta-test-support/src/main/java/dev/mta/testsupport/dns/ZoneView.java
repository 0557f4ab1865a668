package dev.mta.testsupport.dns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What one zone serves at one moment: its RRsets by owner name in canonical order, with the
 * delegations to its child zones and, for a signed zone, the DNSKEY set, the NSEC chain and an
 * RRSIG in every authoritative RRset. Built afresh after any change (see {@link TestZone}), never
 * changed afterwards, so answering needs no lock.
 */
final class ZoneView {
    private static final Name WILDCARD = Name.fromConstantString("*");

    private final Name origin;
    private final NavigableMap<Name, Map<Integer, RRset>> nodes;
    /** The owners of NSEC records in canonical order; empty when the zone is not signed. */
    private final NavigableSet<Name> nsecOwners;

    ZoneView(Name origin, NavigableMap<Name, Map<Integer, RRset>> nodes, NavigableSet<Name> nsecOwners) {
        this.origin = origin;
        this.nodes = nodes;
        this.nsecOwners = nsecOwners;
    }

    boolean signed() {
        return !nsecOwners.isEmpty();
    }

    /** The RRsets at {@code name} by type, or null when no record has that owner. */
    Map<Integer, RRset> node(Name name) {
        return nodes.get(name);
    }

    /** RFC 8020: a name without records but with names below it (an empty non-terminal) exists. */
    boolean hasDescendants(Name name) {
        // Canonical order puts every name below `name` right after it.
        Name next = nodes.higherKey(name);
        return next != null && next.subdomain(name);
    }

    /** Adds the RRset to the section, with its signatures when the query asked for DNSSEC data. */
    static void add(RRset rrset, Message response, int section, boolean dnssecOk) {
        // rrs(false): the order they were added in; dnsjava would otherwise rotate them.
        for (Record record : rrset.rrs(false)) {
            response.addRecord(record, section);
        }
        if (dnssecOk) {
            for (Record signature : rrset.sigs()) {
                response.addRecord(signature, section);
            }
        }
    }

    /**
     * The authority section of a negative answer about {@code name}: the SOA (RFC 2308 3), and in a
     * signed zone asked with DO the NSEC records that prove it (RFC 4035 3.1.3): for NODATA the
     * NSEC at the name, or for an empty non-terminal the one whose span reaches below it; for
     * NXDOMAIN the NSEC that covers the name and the one that covers the wildcard at its closest
     * encloser, since a wildcard could otherwise have answered (RFC 4035 3.1.3.2).
     */
    void addDenial(Name name, boolean nameExists, Message response, boolean dnssecOk) {
        // RFC 2308 3: the SOA with the smaller of its TTL and MINIMUM, which are equal here.
        add(nodes.get(origin).get(Type.SOA), response, Section.AUTHORITY, dnssecOk);
        if (!dnssecOk || !signed()) {
            return;
        }
        Map<Name, RRset> proofs = new LinkedHashMap<>();
        if (nsecOwners.contains(name)) {
            proofs.put(name, nsec(name));
        } else {
            Name covering = nsecOwners.lower(name);
            proofs.put(covering, nsec(covering));
            if (!nameExists) {
                Name wildcard = wildcardAt(closestEncloser(name));
                Name coveringWildcard = nsecOwners.contains(wildcard) ? wildcard : nsecOwners.lower(wildcard);
                proofs.putIfAbsent(coveringWildcard, nsec(coveringWildcard));
            }
        }
        for (RRset proof : proofs.values()) {
            add(proof, response, Section.AUTHORITY, true);
        }
    }

    private RRset nsec(Name owner) {
        return nodes.get(owner).get(Type.NSEC);
    }

    /** RFC 4592 3.3.1: the longest existing ancestor of a name that does not exist. */
    private Name closestEncloser(Name name) {
        Name candidate = new Name(name, 1);
        while (!candidate.equals(origin) && nodes.get(candidate) == null && !hasDescendants(candidate)) {
            candidate = new Name(candidate, 1);
        }
        return candidate;
    }

    private static Name wildcardAt(Name encloser) {
        try {
            return Name.concatenate(WILDCARD, encloser);
        } catch (NameTooLongException e) {
            throw new IllegalStateException("no room for a wildcard label below " + encloser, e);
        }
    }
}
