package dev.mta.queue.h2;

import dev.mta.queue.StoreException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: concurrent committers share one sync. A committer calls {@link #awaitDurable()}
 * after its transaction committed; it returns once a sync pass that <em>started after that
 * call</em> has finished, since only such a pass is sure to cover the transaction.
 *
 * <p>At most one pass runs at a time. Committers arriving while a pass runs join the next one
 * ("forming"); when the running pass ends, the first of them to wake up runs the next pass for
 * all of them. Under load every pass covers all commits that arrived during the previous one,
 * so the number of syncs per second stays bounded by the disk's sync latency, not by the number
 * of committers (Postfix gets the same effect from one fsync per queue file, databases from
 * their log writer).
 */
final class GroupCommit {
    private final SyncPass sync;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition passEnded = lock.newCondition();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private Pass running;
    private Pass forming;

    GroupCommit(SyncPass sync) {
        this.sync = sync;
    }

    /** Returns once everything committed before this call is on disk; throws if that sync failed. */
    void awaitDurable() throws StoreException {
        requests.incrementAndGet();
        Pass mine;
        boolean lead;
        lock.lock();
        try {
            if (running == null) {
                mine = forming != null ? forming : new Pass();
                lead = true;
            } else {
                if (forming == null) {
                    forming = new Pass();
                }
                mine = forming;
                while (!mine.ended && running != null) {
                    passEnded.awaitUninterruptibly();
                }
                // Woken with the pass not run yet: the first committer of it to get here runs it.
                lead = !mine.ended;
            }
            if (lead) {
                if (forming == mine) {
                    forming = null;
                }
                running = mine;
            }
        } finally {
            lock.unlock();
        }
        if (lead) {
            runPass(mine);
        }
        mine.throwIfFailed();
    }

    /** Sync passes run so far (a counter for metrics: with group commit, below {@link #requests()}). */
    long passes() {
        return passes.get();
    }

    /** Calls of {@link #awaitDurable()} so far. */
    long requests() {
        return requests.get();
    }

    private void runPass(Pass pass) {
        // Whatever happens, the pass must end, or its committers would wait forever.
        StoreException failure = new StoreException("the sync pass ended abnormally", null);
        try {
            sync.run();
            failure = null;
        } catch (StoreException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new StoreException("the sync pass failed", e);
        } finally {
            lock.lock();
            try {
                pass.failure = failure;
                pass.ended = true;
                running = null;
                passes.incrementAndGet();
                passEnded.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** One sync, shared by every committer that joined it. */
    private static final class Pass {
        boolean ended;
        StoreException failure;

        void throwIfFailed() throws StoreException {
            if (failure != null) {
                // Each committer gets its own exception, with its own stack, around the shared cause.
                throw new StoreException("the commit could not be synced to disk", failure, failure.isResourceShortage());
            }
        }
    }

    /** The sync itself: makes every transaction committed before it started durable. */
    @FunctionalInterface
    interface SyncPass {
        void run() throws StoreException;
    }
}
