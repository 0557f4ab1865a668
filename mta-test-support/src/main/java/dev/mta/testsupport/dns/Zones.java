package dev.mta.testsupport.dns;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The zones one server is authoritative for, and which of them answers a question. */
final class Zones {
    private final Map<Name, TestZone> byOrigin = new ConcurrentHashMap<>();

    TestZone zone(Name origin) {
        return byOrigin.computeIfAbsent(origin, TestZone::new);
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
}
