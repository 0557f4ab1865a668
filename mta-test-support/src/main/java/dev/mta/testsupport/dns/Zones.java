package dev.mta.testsupport.dns;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The zones one server is authoritative for, and which of them answers a question. On a signed
 * server the zones also form a tree: each delegates to the zones closest below it, which is what
 * a validator walks from the root's key down (RFC 4035 5).
 */
final class Zones {
    private final Map<Name, TestZone> byOrigin = new ConcurrentHashMap<>();
    private final boolean delegating;
    private final Clock clock;
    /** Counts changes to any zone, so that each knows when what it serves is out of date. */
    private final AtomicLong generation = new AtomicLong();

    /**
     * @param delegating whether parents get NS and DS records for the zones below them, which a
     *                   signed server needs and a plain one, answering each zone alone, does not
     */
    Zones(boolean delegating, Clock clock) {
        this.delegating = delegating;
        this.clock = clock;
    }

    /** The zone with this apex, created on first use, signed as asked. */
    TestZone zone(Name origin, boolean signed) {
        TestZone zone = byOrigin.computeIfAbsent(origin, o -> new TestZone(o, this, signed));
        if (zone.isSigned() != signed) {
            throw new IllegalArgumentException("zone " + origin + " already exists "
                    + (zone.isSigned() ? "signed" : "unsigned"));
        }
        changed();
        return zone;
    }

    Optional<TestZone> existing(Name origin) {
        return Optional.ofNullable(byOrigin.get(origin));
    }

    /**
     * The closest enclosing zone of {@code qname}, except that a DS question for the apex of a
     * zone goes to its parent when the server has it: DS lives on the parent side of the zone cut
     * (RFC 4035 3.1.4.1).
     */
    Optional<TestZone> authorityFor(Name qname, int qtype) {
        List<TestZone> enclosing = byOrigin.values().stream()
                .filter(zone -> qname.subdomain(zone.origin()))
                .sorted(Comparator.comparingInt((TestZone zone) -> zone.origin().labels()).reversed())
                .toList();
        if (qtype == Type.DS && enclosing.size() > 1 && enclosing.getFirst().origin().equals(qname)) {
            return Optional.of(enclosing.get(1));
        }
        return enclosing.stream().findFirst();
    }

    /** The zones whose closest enclosing zone is {@code parent}; none on a server that does not delegate. */
    List<TestZone> childrenOf(TestZone parent) {
        if (!delegating) {
            return List.of();
        }
        return byOrigin.values().stream()
                .filter(zone -> !zone.equals(parent))
                .filter(zone -> parentOf(zone).filter(parent::equals).isPresent())
                .toList();
    }

    private Optional<TestZone> parentOf(TestZone child) {
        return byOrigin.values().stream()
                .filter(zone -> !zone.equals(child) && child.origin().subdomain(zone.origin()))
                .max(Comparator.comparingInt(zone -> zone.origin().labels()));
    }

    /** Whether this is a signed server's tree of zones, whose parents delegate to their children. */
    boolean delegating() {
        return delegating;
    }

    void changed() {
        generation.incrementAndGet();
    }

    long generation() {
        return generation.get();
    }

    Clock clock() {
        return clock;
    }
}
