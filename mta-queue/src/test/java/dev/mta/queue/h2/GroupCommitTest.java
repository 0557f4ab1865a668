package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.queue.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private final GatedSync sync = new GatedSync();
    private final GroupCommit groupCommit = new GroupCommit(sync);

    @Test
    void aLoneCommitterRunsAPassOfItsOwn() throws Exception {
        sync.allow(1);

        groupCommit.awaitDurable();

        assertThat(groupCommit.passes()).isEqualTo(1);
        assertThat(groupCommit.requests()).isEqualTo(1);
    }

    @Test
    void committersArrivingDuringAPassShareTheNextOne() throws Exception {
        Committer first = Committer.start(groupCommit);
        sync.awaitPassStarted();
        List<Committer> followers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            followers.add(Committer.start(groupCommit));
        }
        for (Committer follower : followers) {
            follower.awaitParked();
        }

        sync.allow(1);
        first.result().get(10, TimeUnit.SECONDS);
        sync.awaitPassStarted();
        sync.allow(1);
        for (Committer follower : followers) {
            follower.result().get(10, TimeUnit.SECONDS);
        }

        assertThat(groupCommit.requests()).isEqualTo(11);
        assertThat(groupCommit.passes()).isEqualTo(2);
    }

    @Test
    void aPassThatStartedBeforeTheCommitDoesNotCoverIt() throws Exception {
        Committer first = Committer.start(groupCommit);
        sync.awaitPassStarted();
        Committer late = Committer.start(groupCommit);
        late.awaitParked();

        sync.allow(1);
        first.result().get(10, TimeUnit.SECONDS);
        sync.awaitPassStarted();

        assertThat(late.result()).as("still waiting for the pass that started after it").isNotDone();
        sync.allow(1);
        late.result().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFailedPassFailsEveryCommitterThatJoinedItAndOnlyThose() throws Exception {
        Committer first = Committer.start(groupCommit);
        sync.awaitPassStarted();
        Committer second = Committer.start(groupCommit);
        Committer third = Committer.start(groupCommit);
        second.awaitParked();
        third.awaitParked();

        sync.allow(1);
        first.result().get(10, TimeUnit.SECONDS);
        sync.awaitPassStarted();
        sync.failNextWith(new StoreException("No space left on device", null, true));
        sync.allow(1);

        for (Committer failed : List.of(second, third)) {
            assertThatThrownBy(() -> failed.result().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StoreException.class)
                    .hasMessageContaining("could not be synced")
                    .matches(e -> ((StoreException) e).isResourceShortage());
        }
        sync.allow(1);
        groupCommit.awaitDurable();
    }

    /** A real sync pass, gated: each pass announces that it started and waits for a permit. */
    private static final class GatedSync implements GroupCommit.SyncPass {
        private final Semaphore started = new Semaphore(0);
        private final Semaphore permits = new Semaphore(0);
        private final AtomicInteger passes = new AtomicInteger();
        private volatile StoreException failNext;

        @Override
        public void run() throws StoreException {
            passes.incrementAndGet();
            started.release();
            permits.acquireUninterruptibly();
            StoreException failure = failNext;
            failNext = null;
            if (failure != null) {
                throw failure;
            }
        }

        void allow(int passCount) {
            permits.release(passCount);
        }

        void awaitPassStarted() throws InterruptedException {
            assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).as("a sync pass started").isTrue();
        }

        void failNextWith(StoreException failure) {
            failNext = failure;
        }
    }

    /** A committer on a thread of its own. */
    private record Committer(Thread thread, CompletableFuture<Void> result) {
        static Committer start(GroupCommit groupCommit) {
            CompletableFuture<Void> result = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    groupCommit.awaitDurable();
                    result.complete(null);
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
            thread.start();
            return new Committer(thread, result);
        }

        /** Waits until the committer waits for a pass (parked on the group commit's condition). */
        void awaitParked() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (thread.getState() != Thread.State.WAITING) {
                assertThat(System.nanoTime()).as("committer parked in time").isLessThan(deadline);
                Thread.sleep(1);
            }
        }
    }
}
