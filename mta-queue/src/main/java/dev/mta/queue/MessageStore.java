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
 *       synced to stable storage; a crash at any later moment loses nothing. {@link #settle},
 *       {@link #noticesSent}, {@link #flush} and the operator actions ({@link #hold},
 *       {@link #release}, {@link #requeue}, {@link #bounce}, {@link #delete}) are durable the same
 *       way when they return.</li>
 *   <li>A recipient is leased to one owner at a time; a lease not settled before it expires
 *       (the worker crashed) makes the recipient due again.</li>
 *   <li>A message, with its body, is removed only when every recipient is settled and no
 *       notice is pending for it, so a DSN can always quote the message it reports on. A crash
 *       may make a notice be sent twice, never lost. Only the operator's {@link #delete} removes
 *       a message before that, and then sends no notice.</li>
 *   <li>Only the store changes queue state.</li>
 * </ul>
 */
public interface MessageStore extends AutoCloseable {

    /** Starts a new message whose body is streamed to disk; nothing is queued until commit. */
    IncomingMessage receive() throws StoreException;

    /**
     * Every message still in the queue, oldest first: those with an unsettled recipient, and
     * those whose recipients are all settled but a FAILURE or SUCCESS notice is still pending
     * ({@link RecipientStatus#pendingNotice()}). Settled recipients are listed too.
     */
    List<MessageSummary> list() throws StoreException;

    Optional<MessageDetail> find(QueueId id) throws StoreException;

    /** The message as it will be relayed (CRLF lines, not dot-stuffed). */
    InputStream openBody(QueueId id) throws StoreException;

    /**
     * Leases up to {@code limit} recipients that are due at {@code now} (queued or deferred, next
     * attempt not after now, no live lease) to {@code owner} until {@code now + leaseTime}.
     * Earliest due first. Settled recipients are never handed out, whatever their notices.
     */
    List<ClaimedRecipient> claimDue(Instant now, int limit, String owner, Duration leaseTime) throws StoreException;

    /**
     * Records the outcome of an attempt: state, attempts, the diagnosis (last and in the
     * history), and in the same transaction the notice a settlement owes (FAILURE for
     * {@code Bounced(.., true)}, SUCCESS for {@code Delivered(.., true)}). Returns false,
     * changing nothing, when the lease is no longer held by {@code owner} (it expired and
     * someone else may have the recipient). A message whose recipients are all settled and that
     * owes no notice is removed with its body.
     */
    boolean settle(RecipientRef recipient, String owner, Settlement settlement) throws StoreException;

    /**
     * Up to {@code limit} messages, oldest first, with the recipients that owe a notice: a
     * pending FAILURE or SUCCESS, or a DELAY when the recipient is DEFERRED (or QUEUED after an
     * attempt), has not been delay-warned, and its message was received at or before
     * {@code now - delayWarningAfter}. The caller applies the RFC 3461 NOTIFY rules and the
     * origin of the message, may send nothing for some recipients, and reports every one of them
     * back through {@link #noticesSent}.
     */
    List<PendingNotices> pendingNotices(Instant now, Duration delayWarningAfter, int limit) throws StoreException;

    /**
     * Records that the notice of kind {@code kind} for these recipients (envelope indexes) was
     * queued, or deliberately not sent: FAILURE and SUCCESS clear the pending notice, DELAY marks
     * the recipients delay-warned. A message that is then settled with nothing pending is
     * removed with its body. Call it only after the notice itself is committed: a crash in
     * between sends the notice again rather than never. Harmless when the message is already
     * gone or the notice already recorded (a repeated run after a crash). Durable on return.
     */
    void noticesSent(QueueId message, List<Integer> indexes, NoticeKind kind) throws StoreException;

    /**
     * Makes every QUEUED or DEFERRED recipient without a live lease, of {@code message} or of
     * the whole queue, due at {@code now} (like {@code postqueue -f} / {@code -i}); HELD and
     * leased recipients are left alone and attempts are not reset. Returns how many recipients
     * are due now, those already due included. Durable on return; works from a second process
     * while the relay has the queue open.
     */
    int flush(Optional<QueueId> message, Instant now) throws StoreException;

    /**
     * The messages with at least one recipient matching {@code selection}, oldest first, each
     * with all its recipients (as {@link #list()} shows them); {@code now} is what a minimum age
     * is measured from.
     */
    List<MessageSummary> list(Selection selection, Instant now) throws StoreException;

    /**
     * The queue's shape at {@code now}: recipients per domain by state and age, and the
     * {@code topReasons} most frequent last replies of deferred recipients.
     */
    QueueSummary summary(Instant now, int topReasons) throws StoreException;

    // Operator actions (like postsuper). Each is one transaction, durable on return, and works
    // from a second process while the relay has the queue open. A recipient whose delivery
    // attempt holds a live lease at {@code now} is never changed: it is reported in
    // QueueChange.leased, and the operator repeats the action once the attempt has settled.

    /**
     * Puts the selected QUEUED and DEFERRED recipients on hold: never claimed until released.
     * Their next attempt time and attempts are kept. Held and settled recipients are left as
     * they are (not counted).
     */
    QueueChange hold(Selection selection, Instant now) throws StoreException;

    /**
     * Releases the selected HELD recipients, due at {@code now}: DEFERRED again, or QUEUED if they
     * were never attempted. Attempts are kept. Other recipients are left as they are.
     */
    QueueChange release(Selection selection, Instant now) throws StoreException;

    /**
     * Makes the selected unsettled recipients (QUEUED, DEFERRED and, as {@code postsuper -r} does
     * for the hold queue, HELD) due at {@code now}; a held one is released as by {@link #release}.
     * The attempt count and the last diagnosis are kept, so the back-off after the next failure
     * goes on where it was and the queue lifetime still counts from arrival.
     */
    QueueChange requeue(Selection selection, Instant now) throws StoreException;

    /**
     * Bounces the selected unsettled recipients now, as the postmaster's decision: BOUNCED with
     * the local diagnosis {@code 5.0.0 bounced by the postmaster: <reason>}, and a FAILURE notice
     * pending for each recipient whose NOTIFY asks for failures (RFC 3461 4.1), which the
     * notifier sends like any other bounce ({@link #pendingNotices}). Attempts are kept; the
     * bounce is written to the attempt history with the worker {@code postmaster}. A message
     * left with nothing to do (no notice owed) is removed with its body.
     */
    QueueChange bounce(Selection selection, String reason, Instant now) throws StoreException;

    /**
     * Removes every message with a selected recipient, whole: all recipients (settled or not),
     * pending notices and the body. No notice is sent. A message with any recipient under a live
     * lease is refused whole (its leased recipients are reported) rather than removed under a
     * delivery.
     */
    QueueChange delete(Selection selection, Instant now) throws StoreException;

    /**
     * When the oldest message with a recipient in the DEFERRED state arrived; empty when no
     * recipient is deferred. Its age is the "oldest deferred" of the metrics: arrival, as
     * Postfix's qshape ages mail and as the queue lifetime counts (not the first deferral).
     * Cheap on a large queue (an index walk that usually stops at the first message).
     */
    Optional<Instant> oldestDeferred() throws StoreException;

    /**
     * Whether the store can serve now, for readiness checks: false after {@link #close()}, and
     * false while the database is gone from under it. Cheap and quick (no query on the usual
     * path), safe to ask on every health request; never throws.
     */
    boolean isOpen();

    /** Small durable records beside the queue: MTA-STS policies, TLS-RPT counts. */
    KeyedRecords records();

    @Override
    void close();
}
