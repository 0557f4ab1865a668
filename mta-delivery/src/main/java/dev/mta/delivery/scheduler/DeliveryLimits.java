package dev.mta.delivery.scheduler;

import java.time.Duration;

/**
 * @param maxConnections               concurrent deliveries in all
 * @param maxConnectionsPerDestination concurrent deliveries to one domain
 * @param leaseTime  how long a claimed recipient stays ours; longer than the slowest attempt
 *                   (all SMTP timeouts of several hosts), since an expired lease lets another
 *                   worker try the same recipient
 * @param pollInterval how often the queue is scanned for due recipients when nothing wakes the service
 */
public record DeliveryLimits(int maxConnections, int maxConnectionsPerDestination, Duration leaseTime, Duration pollInterval) {
    public DeliveryLimits {
        if (maxConnections < 1 || maxConnectionsPerDestination < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1");
        }
    }
}
