package dev.mta.testsupport.dns;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/** The faults and delays a test set, per name and type or per name for every type. */
final class Behaviours {
    /** Stands for "every type" in a rule; no real type is negative. */
    static final int EVERY_TYPE = -1;

    private record Key(Name name, int type) {
    }

    private final Map<Key, Fault> faults = new ConcurrentHashMap<>();
    private final Map<Key, Duration> delays = new ConcurrentHashMap<>();

    void fault(Name name, int type, Fault fault) {
        faults.put(new Key(name, type), fault);
    }

    void delay(Name name, int type, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        delays.put(new Key(name, type), delay);
    }

    /** The rule for exactly this type wins over the rule for every type. */
    Optional<Fault> faultFor(Name name, int type) {
        return Optional.ofNullable(faults.get(new Key(name, type)))
                .or(() -> Optional.ofNullable(faults.get(new Key(name, EVERY_TYPE))));
    }

    Duration delayFor(Name name, int type) {
        Duration exact = delays.get(new Key(name, type));
        return exact != null ? exact : delays.getOrDefault(new Key(name, EVERY_TYPE), Duration.ZERO);
    }

    void clear() {
        faults.clear();
        delays.clear();
    }
}
