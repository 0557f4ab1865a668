package dev.mta.delivery.dsn;

import java.util.Locale;

/**
 * What happened to one recipient, as the Action field of a DSN says it (RFC 3464 2.3.3).
 * "expanded" is left out: the relay has no local aliases or lists to expand.
 */
public enum DsnAction {
    /** Delivery failed for good, or the recipient expired in the queue. */
    FAILED,
    /** Not delivered yet; the relay keeps trying. */
    DELAYED,
    /** Delivered to a next hop that accepted responsibility and supports DSN. */
    DELIVERED,
    /** Handed to a next hop that does not return DSNs (no DSN extension), so no further news will come. */
    RELAYED;

    /** The field value: the lower-case keyword of RFC 3464 2.3.3. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether an RFC 3463 status of this class can go with this action. A failure may carry a 4.x.x
     * status: a recipient that expired after temporary errors is reported with the last of them
     * (RFC 3463 2: "if this code accompanies a delivery failure report, sending in the future may be
     * successful"); a delay is always transient; a delivery is always a success.
     */
    boolean allowsStatusClass(char statusClass) {
        return switch (this) {
            case FAILED -> statusClass == '4' || statusClass == '5';
            case DELAYED -> statusClass == '4';
            case DELIVERED, RELAYED -> statusClass == '2';
        };
    }
}
