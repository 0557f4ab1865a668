package dev.mta.delivery.scheduler;

import dev.mta.delivery.attempt.AttemptResult;
import dev.mta.delivery.attempt.DeliveryOutcome;
import dev.mta.delivery.attempt.Via;
import dev.mta.queue.Diagnosis;
import dev.mta.delivery.attempt.MessageDelivery;
import dev.mta.delivery.notice.Notifier;
import dev.mta.delivery.attempt.QueuedBody;
import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueId;
import dev.mta.queue.Settlement;
import dev.mta.queue.StoreException;
import dev.mta.queue.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue manager (Postfix's qmgr): claims due recipients, groups them by message and
 * destination domain, runs each group's attempt on a virtual thread within the concurrency
 * limits, settles every recipient, and runs the notifier. {@link #runOnce} does one pass and
 * waits for it, which is what tests drive with an injected clock; {@link #start} loops.
 */
public final class DeliveryService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);
    /**
     * How long a destination no server of which answered stays suspended. Short against the retry
     * schedule (minutes to hours), so a destination that comes back loses little, and long
     * against the connect and greeting timeouts that every claimed recipient would wait out.
     */
    static final Duration SUSPENSION = Duration.ofMinutes(1);

    private final MessageStore store;
    private final MessageDelivery delivery;
    private final Notifier notifier;
    private final SettlementRules rules;
    private final DeliveryLimits limits;
    private final Clock clock;
    private final String owner;
    private final DeliveryObserver observer;
    private final Semaphore connections;
    private final DestinationSlots perDestination;
    private final DeadDestinations dead = new DeadDestinations(SUSPENSION);
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("delivery-", 0).factory());
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final Object wakeup = new Object();
    private volatile boolean running;
    // Set by close: claimed work that has not started yet is left for the next start.
    private volatile boolean closing;
    private boolean woken;
    private Thread loop;

    public DeliveryService(MessageStore store, MessageDelivery delivery, Notifier notifier, RetryPolicy retry,
            DeliveryLimits limits, Clock clock, String owner) {
        this(store, delivery, notifier, retry, limits, clock, owner, DeliveryObserver.NONE);
    }

    /** @param observer told of every settled attempt (metrics) */
    public DeliveryService(MessageStore store, MessageDelivery delivery, Notifier notifier, RetryPolicy retry,
            DeliveryLimits limits, Clock clock, String owner, DeliveryObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.store = Objects.requireNonNull(store, "store");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.rules = new SettlementRules(retry);
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.connections = new Semaphore(limits.maxConnections());
        this.perDestination = new DestinationSlots(limits.maxConnectionsPerDestination());
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        running = true;
        loop = Thread.ofPlatform().name("delivery-scheduler").daemon().start(this::loop);
    }

    /** New mail was queued, or an operator flushed the queue: look now instead of at the next poll. */
    public void wake() {
        synchronized (wakeup) {
            woken = true;
            wakeup.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            try {
                dispatch();
                notifier.runOnce();
                synchronized (wakeup) {
                    if (!woken && running) {
                        wakeup.wait(limits.pollInterval().toMillis());
                    }
                    woken = false;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("delivery pass failed; trying again at the next poll", e);
                sleepQuietly();
            }
        }
    }

    /**
     * One pass, waited for: every recipient due now is attempted (within the limits) and settled,
     * then the notices owed are sent. Returns the number of recipients attempted. Tests drive the
     * service with this and an injected clock.
     */
    public int runOnce() throws InterruptedException {
        Pass pass = dispatch();
        for (Future<?> task : pass.tasks()) {
            try {
                task.get();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.error("delivery attempt failed", e.getCause());
            }
        }
        notifier.runOnce();
        return pass.recipients();
    }

    /** Claims what is due and starts its attempts without waiting for them (the loop's pass). */
    private Pass dispatch() {
        // Claim no more than the workers can soon start: claimed recipients wait under a lease.
        int room = limits.maxConnections() * 4 - inFlight.get();
        if (room <= 0) {
            return Pass.EMPTY;
        }
        List<ClaimedRecipient> claimed;
        try {
            claimed = store.claimDue(clock.instant(), room, owner, limits.leaseTime());
        } catch (StoreException e) {
            LOG.error("cannot claim due recipients: {}", e.getMessage());
            return Pass.EMPTY;
        }
        List<Future<?>> started = new ArrayList<>();
        for (List<ClaimedRecipient> group : groups(claimed)) {
            inFlight.addAndGet(group.size());
            started.add(workers.submit(() -> {
                try {
                    attempt(group);
                } finally {
                    inFlight.addAndGet(-group.size());
                    // Room for more: a backlog larger than one claim must not wait for the poll.
                    wake();
                }
            }));
        }
        return new Pass(started, claimed.size());
    }

    /** The attempts one pass started, and how many recipients they carry. */
    private record Pass(List<Future<?>> tasks, int recipients) {
        static final Pass EMPTY = new Pass(List.of(), 0);
    }

    /** Recipients of one message in one domain go in one transaction (RFC 5321 3.3: one MAIL, many RCPT). */
    private static List<List<ClaimedRecipient>> groups(List<ClaimedRecipient> claimed) {
        Map<String, List<ClaimedRecipient>> groups = new LinkedHashMap<>();
        for (ClaimedRecipient recipient : claimed) {
            String key = recipient.ref().message() + " " + recipient.recipient().domain();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(recipient);
        }
        return new ArrayList<>(groups.values());
    }

    private void attempt(List<ClaimedRecipient> group) {
        ClaimedRecipient first = group.getFirst();
        String domain = first.recipient().domain();
        try {
            if (deferIfSuspended(domain, group)) {
                return;
            }
            // The destination's slot first: attempts queued behind a slow or dead destination
            // must not sit on connection slots that mail to other destinations could use.
            DestinationSlots.Slot slot = perDestination.acquire(domain);
            try {
                // While this waited for the slot, an attempt before it may have found the destination dead.
                if (deferIfSuspended(domain, group)) {
                    return;
                }
                connections.acquire();
                try {
                    if (closing) {
                        // Not started, so not in flight: the claim lapses and the next start retries it.
                        return;
                    }
                    List<AttemptResult> results = delivery.deliver(first.envelope(), domain, group,
                            bodySize(first.ref().message()), new QueuedBody(store, first.ref().message()));
                    dead.attempted(domain, results, clock.instant());
                    settle(results);
                } finally {
                    connections.release();
                }
            } finally {
                slot.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (StoreException e) {
            LOG.error("cannot attempt {}: {}", first.ref().message(), e.getMessage());
        }
    }

    /** Defers the group at once, without a connection, when its destination is suspended. */
    private boolean deferIfSuspended(String domain, List<ClaimedRecipient> group) {
        if (closing) {
            return false;
        }
        Optional<Diagnosis> suspended = dead.suspension(domain, clock.instant());
        if (suspended.isEmpty()) {
            return false;
        }
        DeliveryOutcome.Deferred deferred = new DeliveryOutcome.Deferred(suspended.get());
        settle(group.stream().map(recipient -> new AttemptResult(recipient, deferred, Via.NONE)).toList());
        return true;
    }

    private long bodySize(QueueId id) throws StoreException {
        return store.find(id).map(MessageDetail::size).orElse(0L);
    }

    private void settle(List<AttemptResult> results) {
        Instant now = clock.instant();
        for (AttemptResult result : results) {
            Settlement settlement = rules.settle(result.recipient(), result.outcome(), now);
            DeliveryLog.log(result, settlement, now);
            observe(result, settlement, now);
            try {
                if (!store.settle(result.recipient().ref(), owner, settlement)) {
                    LOG.warn("id={} to=<{}>: lease lost before the outcome was recorded; the recipient will be tried again",
                            result.recipient().ref().message(), result.recipient().recipient().address());
                }
            } catch (StoreException e) {
                // The lease runs out and the recipient is tried again: a possible duplicate, never a loss.
                LOG.error("id={} to=<{}>: cannot record the outcome: {}", result.recipient().ref().message(),
                        result.recipient().recipient().address(), e.getMessage());
            }
        }
    }

    private void observe(AttemptResult result, Settlement settlement, Instant now) {
        try {
            observer.settled(result, settlement, Duration.between(result.recipient().envelope().receivedAt(), now));
        } catch (RuntimeException e) {
            // Metrics must never stop mail.
            LOG.warn("delivery observer failed: {}", e.toString());
        }
    }

    /**
     * Recipients claimed and handed to an attempt that has not ended yet (running, or waiting for
     * a connection or destination slot). Zero when the service is idle; an attempt that never
     * ended (a hang) would keep it above zero.
     */
    public int recipientsInFlight() {
        return inFlight.get();
    }

    /** Destination domains with an attempt running or waiting now; the service forgets the others. */
    int destinationsInUse() {
        return perDestination.destinations();
    }

    /** Delivery attempts running now, each holding one outbound connection slot. */
    public int attemptsInFlight() {
        return limits.maxConnections() - connections.availablePermits();
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(limits.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops claiming; attempts under way finish (their SMTP timeouts bound them) or are abandoned to their leases. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Stops claiming work at once, lets the attempts under way run for up to {@code grace}, then
     * interrupts what is left. An interrupted attempt records nothing: its recipients stay claimed
     * under their lease, which the store releases at the next start, and are tried again then. A
     * receiver may then get a message twice (if it was cut after the remote 250), never none.
     */
    public void close(Duration grace) {
        closing = true;
        running = false;
        wake();
        Thread thread;
        synchronized (this) {
            thread = loop;
        }
        if (thread != null) {
            // The loop sees running = false after its pass; it is not interrupted in the middle of
            // a queue operation unless the pass hangs.
            try {
                thread.join(5000);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(5000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdown();
        try {
            if (!grace.isZero() && !workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("stopping: {} attempt(s) still running after the grace period of {}s are abandoned;"
                        + " their recipients stay queued and are tried again after the restart", inFlight.get(), grace.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
