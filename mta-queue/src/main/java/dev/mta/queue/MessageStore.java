package dev.mta.queue;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable queue: messages with per-recipient state, and the claiming of due work with a
 * lease. This is the port; {@code H2MessageStore} is the embedded implementation and a shared
 * PostgreSQL store for several relays can implement the same contract.
 *
 * <p>Contract every implementation keeps:
 * <ul>
 *   <li>{@link IncomingMessage#commit} returns only when the message and all its recipients are
 *       synced to stable storage; a crash at any later moment loses nothing.</li>
 *   <li>A recipient is leased to one owner at a time; a lease not settled before it expires
 *       (the worker crashed) makes the recipient due again.</li>
 *   <li>Only the store changes queue state.</li>
 * </ul>
 */
public interface MessageStore extends AutoCloseable {

    /** Starts a new message whose body is streamed to disk; nothing is queued until commit. */
    IncomingMessage receive() throws StoreException;

    /** Messages with at least one unsettled recipient, oldest first. */
    List<MessageSummary> list() throws StoreException;

    Optional<MessageDetail> find(QueueId id) throws StoreException;

    /** The message as it will be relayed (CRLF lines, not dot-stuffed). */
    InputStream openBody(QueueId id) throws StoreException;

    /**
     * Leases up to {@code limit} recipients that are due at {@code now} (queued or deferred, next
     * attempt not after now, no live lease) to {@code owner} until {@code now + leaseTime}.
     * Earliest due first.
     */
    List<ClaimedRecipient> claimDue(Instant now, int limit, String owner, Duration leaseTime) throws StoreException;

    /**
     * Records the outcome of an attempt. Returns false, changing nothing, when the lease is no
     * longer held by {@code owner} (it expired and someone else may have the recipient). A message
     * whose recipients are all settled is removed with its body.
     */
    boolean settle(RecipientRef recipient, String owner, Settlement settlement) throws StoreException;

    @Override
    void close();
}
