package dev.mta.delivery.attempt;

import dev.mta.queue.Diagnosis;
import java.util.Objects;

/** What one attempt came to for one recipient (STYLE 2: outcomes are types). */
public sealed interface DeliveryOutcome {

    Diagnosis diagnosis();

    /** The next hop took responsibility. {@code nextHopTookDsn}: it offered DSN, so NOTIFY travelled on. */
    record Delivered(Diagnosis diagnosis, boolean nextHopTookDsn) implements DeliveryOutcome {
        public Delivered {
            Objects.requireNonNull(diagnosis, "diagnosis");
        }
    }

    /** A temporary failure: try again later. */
    record Deferred(Diagnosis diagnosis) implements DeliveryOutcome {
        public Deferred {
            Objects.requireNonNull(diagnosis, "diagnosis");
        }
    }

    /** A permanent failure: return to the sender. */
    record Bounced(Diagnosis diagnosis) implements DeliveryOutcome {
        public Bounced {
            Objects.requireNonNull(diagnosis, "diagnosis");
        }
    }
}
