package dev.mta.delivery.smtpclient;

/**
 * The outbound SMTP connections of one client at one moment, to every hop together: what the
 * "active outbound connections" gauges show. Taken in one step, so the two always add up.
 *
 * @param inUse connections carrying a session now: connecting to SMTP (greeting, EHLO,
 *              STARTTLS), in a mail transaction, or saying QUIT
 * @param idle  sessions kept open for the next message to the same hop
 *              ({@link SmtpClientSettings#reuseIdleTime()})
 */
public record ConnectionCounts(int inUse, int idle) {
    public static final ConnectionCounts NONE = new ConnectionCounts(0, 0);

    public ConnectionCounts {
        if (inUse < 0 || idle < 0) {
            throw new IllegalArgumentException("connection counts cannot be negative: " + inUse + " in use, " + idle + " idle");
        }
    }

    /** Every open connection, in use or idle. */
    public int open() {
        return inUse + idle;
    }
}
