package dev.mta.delivery.scheduler;

import dev.mta.delivery.attempt.AttemptResult;
import dev.mta.delivery.attempt.DeliveryOutcome;
import dev.mta.queue.Diagnosis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Postfix's dead destinations: once an attempt to a domain failed before any of its servers
 * answered (every address refused, timed out or never greeted: RFC 3463 X.4.1; or its DNS
 * failed: X.4.3), the other
 * recipients claimed for it are deferred at once with that reason ("delivery temporarily
 * suspended") for a while, instead of each waiting out the same timeouts. Without this, mail
 * claimed for one dead domain holds the claim window, and the mail of every other domain waits
 * behind minutes of timeouts.
 */
final class DeadDestinations {
    /** Entries beyond which expired suspensions are swept, so a flood of dead domains stays bounded. */
    private static final int SWEEP_AT = 10_000;

    private final Duration suspension;
    private final Map<String, Suspension> suspended = new ConcurrentHashMap<>();

    DeadDestinations(Duration suspension) {
        this.suspension = suspension;
    }

    /** Learns from an attempt to {@code domain}: suspends it when no server answered, revives it when one did. */
    void attempted(String domain, List<AttemptResult> results, Instant now) {
        Optional<Diagnosis> unreachable = unreachable(results);
        if (unreachable.isPresent()) {
            if (suspended.size() >= SWEEP_AT) {
                suspended.values().removeIf(s -> !s.until().isAfter(now));
            }
            suspended.put(domain, new Suspension(now.plus(suspension), unreachable.get()));
        } else if (!results.isEmpty()) {
            suspended.remove(domain);
        }
    }

    /** Why {@code domain} is suspended now, as the deferral of a recipient not attempted; empty when it is not. */
    Optional<Diagnosis> suspension(String domain, Instant now) {
        Suspension current = suspended.get(domain);
        if (current == null) {
            return Optional.empty();
        }
        if (!current.until().isAfter(now)) {
            suspended.remove(domain, current);
            return Optional.empty();
        }
        Diagnosis reason = current.reason();
        return Optional.of(Diagnosis.local(reason.status(), "delivery temporarily suspended: " + reason.text()));
    }

    int size() {
        return suspended.size();
    }

    /**
     * The reason when every recipient was deferred because no server answered (4.4.1) or the
     * destination could not be resolved (4.4.3). A connection lost later (4.4.2) or a reply does
     * not count: a server was there.
     */
    private static Optional<Diagnosis> unreachable(List<AttemptResult> results) {
        if (results.isEmpty()) {
            return Optional.empty();
        }
        for (AttemptResult result : results) {
            if (!(result.outcome() instanceof DeliveryOutcome.Deferred deferred)
                    || !(deferred.diagnosis().status().equals("4.4.1") || deferred.diagnosis().status().equals("4.4.3"))
                    || deferred.diagnosis().remoteMta().isPresent()) {
                return Optional.empty();
            }
        }
        return Optional.of(results.getFirst().outcome().diagnosis());
    }

    private record Suspension(Instant until, Diagnosis reason) {
    }
}
