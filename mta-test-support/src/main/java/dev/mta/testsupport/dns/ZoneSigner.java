package dev.mta.testsupport.dns;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Signs one zone the way an authoritative signer would (RFC 4035 2): the DNSKEY set at the apex,
 * an NSEC chain through every owner name in canonical order (RFC 4034 4, 6.1), and an RRSIG over
 * every authoritative RRset, including the NSECs and the DS records at delegations but not the
 * NS records there nor anything below a zone cut (RFC 4035 2.2). Signature faults a test asked
 * for are applied here.
 */
final class ZoneSigner {
    /** Signatures start a little in the past, so that a validator's clock may lag behind ours. */
    static final Duration BACKDATING = Duration.ofHours(1);
    /** How long good signatures last unless the test says otherwise. */
    static final Duration VALIDITY = Duration.ofDays(30);

    /** A zone's signature faults: one for the whole zone (its DNSKEY set spared), and per RRset. */
    record Faults(Optional<SignatureFault> wholeZone, Map<RRsetKey, SignatureFault> perRRset) {
    }

    /** An RRset by owner and type. */
    record RRsetKey(Name name, int type) {
    }

    private final Name origin;
    private final ZoneKey key;
    private final Instant now;
    private final Instant expiration;
    private final Faults faults;

    ZoneSigner(Name origin, ZoneKey key, Instant now, Instant expiration, Faults faults) {
        this.origin = origin;
        this.key = key;
        this.now = now;
        this.expiration = expiration;
        this.faults = faults;
    }

    /**
     * Signs {@code nodes} (a copy the caller no longer uses) whose delegations to child zones sit
     * at {@code cuts}; {@code negativeTtl} is the SOA MINIMUM, the TTL of NSEC records (RFC 4035 2.3).
     */
    ZoneView sign(NavigableMap<Name, Map<Integer, RRset>> nodes, Set<Name> cuts, long negativeTtl) {
        nodes.computeIfAbsent(origin, n -> new TreeMap<>()).put(Type.DNSKEY, new RRset(key.dnskey()));
        List<Name> owners = new ArrayList<>();
        for (Name name : nodes.keySet()) {
            if (!belowACut(name, cuts)) {
                owners.add(name);
            }
        }
        for (int i = 0; i < owners.size(); i++) {
            Name owner = owners.get(i);
            Name next = i + 1 < owners.size() ? owners.get(i + 1) : origin; // the last points back to the apex
            Map<Integer, RRset> node = nodes.get(owner);
            node.put(Type.NSEC, new RRset(new NSECRecord(owner, DClass.IN, negativeTtl, next, typesAt(node))));
        }
        for (Name owner : owners) {
            Map<Integer, RRset> node = nodes.get(owner);
            boolean cut = cuts.contains(owner);
            for (Map.Entry<Integer, RRset> entry : node.entrySet()) {
                if (cut && entry.getKey() != Type.DS && entry.getKey() != Type.NSEC) {
                    continue; // RFC 4035 2.2: the parent signs only DS and NSEC at a delegation
                }
                RRset signed = new RRset(entry.getValue());
                signed.addRR(signature(entry.getValue()));
                entry.setValue(signed);
            }
        }
        return new ZoneView(origin, nodes, new TreeSet<>(owners));
    }

    /** RFC 4034 4.1.2: the types present at the name, and RRSIG and NSEC, which every owner gets. */
    private static int[] typesAt(Map<Integer, RRset> node) {
        TreeSet<Integer> types = new TreeSet<>(node.keySet());
        types.add(Type.RRSIG);
        types.add(Type.NSEC);
        return types.stream().mapToInt(Integer::intValue).toArray();
    }

    private RRSIGRecord signature(RRset rrset) {
        Optional<SignatureFault> fault = Optional.ofNullable(
                        faults.perRRset().get(new RRsetKey(rrset.getName(), rrset.getType())))
                .or(() -> rrset.getType() == Type.DNSKEY ? Optional.empty() : faults.wholeZone());
        if (fault.isEmpty()) {
            return key.sign(rrset, now.minus(BACKDATING), expiration);
        }
        return switch (fault.get()) {
            case EXPIRED -> key.sign(rrset, now.minus(VALIDITY), now.minus(Duration.ofDays(1)));
            case BROKEN -> broken(key.sign(rrset, now.minus(BACKDATING), expiration));
        };
    }

    private static RRSIGRecord broken(RRSIGRecord good) {
        byte[] signature = good.getSignature();
        signature[signature.length / 2] ^= 0x5a;
        return new RRSIGRecord(good.getName(), good.getDClass(), good.getTTL(), good.getTypeCovered(),
                good.getAlgorithm(), good.getOrigTTL(), good.getExpire(), good.getTimeSigned(),
                good.getFootprint(), good.getSigner(), signature);
    }

    private static boolean belowACut(Name name, Set<Name> cuts) {
        for (Name cut : cuts) {
            if (name.subdomain(cut) && !name.equals(cut)) {
                return true; // occluded: the child zone's data, or glue (RFC 4035 2.2)
            }
        }
        return false;
    }
}
