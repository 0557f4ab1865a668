package dev.mta.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Which settings a reload changes, and which of those only a restart can apply. */
public final class ConfigChanges {
    // Keys read afresh while the relay runs: the listeners' limits, networks, TLS files and users
    // (read per session or per command), delivery's routes and TLS policies (per attempt),
    // logging, the grace period (read when stopping), and the sendmail section (read by the
    // sendmail command itself).
    private static final Set<String> LIVE_PREFIXES = Set.of("smtp.", "queue.", "logging.", "sendmail.",
            "shutdown-grace-period", "delivery.routes.", "delivery.tls-policy.");
    // ... except where a listener is bound and what it speaks, and the space reserve (the store's,
    // kept from its opening).
    private static final Set<String> RESTART_PREFIXES = Set.of("smtp.listeners.", "queue.reserve-space");

    private ConfigChanges() {
    }

    /** Every effective key whose value differs between the two, sorted. */
    public static Set<String> between(Config before, Config after) {
        Map<String, ConfigValue> old = leaves(before);
        Map<String, ConfigValue> next = leaves(after);
        Set<String> changed = new TreeSet<>();
        for (String key : union(old.keySet(), next.keySet())) {
            ConfigValue a = old.get(key);
            ConfigValue b = next.get(key);
            // Values compare by content; where they were written down does not matter.
            if (a == null || b == null || !Objects.equals(a.unwrapped(), b.unwrapped())) {
                changed.add(key);
            }
        }
        return changed;
    }

    /** Of {@code changed}, the keys a running relay cannot take on. */
    public static Set<String> restartNeeded(Set<String> changed) {
        Set<String> restart = new TreeSet<>();
        for (String key : changed) {
            boolean live = LIVE_PREFIXES.stream().anyMatch(key::startsWith)
                    && RESTART_PREFIXES.stream().noneMatch(key::startsWith);
            if (!live) {
                restart.add(key);
            }
        }
        return restart;
    }

    private static Map<String, ConfigValue> leaves(Config config) {
        Map<String, ConfigValue> leaves = new java.util.HashMap<>();
        config.entrySet().forEach(entry -> leaves.put(entry.getKey(), entry.getValue()));
        return leaves;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
