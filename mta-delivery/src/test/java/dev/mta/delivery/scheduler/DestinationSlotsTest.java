package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The per-destination limit, and that a domain is forgotten once no attempt to it runs or waits. */
class DestinationSlotsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void domainIsForgottenWhenItsLastAttemptEnds() throws Exception {
        DestinationSlots slots = new DestinationSlots(2);

        DestinationSlots.Slot first = slots.acquire("example.com");
        DestinationSlots.Slot second = slots.acquire("example.com");
        assertThat(slots.destinations()).isEqualTo(1);
        first.close();
        assertThat(slots.destinations()).isEqualTo(1);
        second.close();

        assertThat(slots.destinations()).isZero();
    }

    @Test
    void sendingToManyDomainsKeepsNothingBehind() throws Exception {
        DestinationSlots slots = new DestinationSlots(1);

        for (int i = 0; i < 10_000; i++) {
            slots.acquire("domain" + i + ".example").close();
        }

        assertThat(slots.destinations()).isZero();
    }

    @Test
    void attemptsBeyondTheLimitWaitForASlot() throws Exception {
        DestinationSlots slots = new DestinationSlots(2);
        DestinationSlots.Slot first = slots.acquire("example.com");
        DestinationSlots.Slot second = slots.acquire("example.com");

        Waiter third = Waiter.start(slots, "example.com");
        third.awaitWaiting();
        assertThat(third.slot).isNotDone();

        first.close();
        third.slot.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).close();
        second.close();
        assertThat(slots.destinations()).isZero();
    }

    @Test
    void aWaitingAttemptKeepsTheDomainWhenTheHoldersLeave() throws Exception {
        DestinationSlots slots = new DestinationSlots(1);
        DestinationSlots.Slot holder = slots.acquire("example.com");
        Waiter waiter = Waiter.start(slots, "example.com");
        waiter.awaitWaiting();

        holder.close();
        DestinationSlots.Slot taken = waiter.slot.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(slots.destinations()).as("the waiter now holds it").isEqualTo(1);
        Waiter next = Waiter.start(slots, "example.com");
        next.awaitWaiting();
        assertThat(next.slot).as("the limit still holds for the same domain").isNotDone();
        taken.close();
        next.slot.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).close();
        assertThat(slots.destinations()).isZero();
    }

    @Test
    void otherDomainsAreNotHeldUp() throws Exception {
        DestinationSlots slots = new DestinationSlots(1);
        DestinationSlots.Slot busy = slots.acquire("example.com");

        DestinationSlots.Slot other = slots.acquire("example.net");

        assertThat(slots.destinations()).isEqualTo(2);
        other.close();
        busy.close();
        assertThat(slots.destinations()).isZero();
    }

    @Test
    void anAttemptInterruptedWhileWaitingLeavesNothingBehind() throws Exception {
        DestinationSlots slots = new DestinationSlots(1);
        DestinationSlots.Slot holder = slots.acquire("example.com");
        Waiter waiter = Waiter.start(slots, "example.com");
        waiter.awaitWaiting();

        waiter.thread.interrupt();

        assertThatThrownBy(() -> waiter.slot.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(InterruptedException.class);
        holder.close();
        assertThat(slots.destinations()).isZero();
        slots.acquire("example.com").close(); // and the slot it waited for is free
    }

    @Test
    void concurrentAttemptsToManyDomainsLeaveNothingBehind() throws Exception {
        DestinationSlots slots = new DestinationSlots(2);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) {
                        slots.acquire("domain" + (i % 5) + ".example").close();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread thread : threads) {
            assertThat(thread.join(PATIENCE)).isTrue();
        }

        assertThat(slots.destinations()).isZero();
    }

    /** An attempt that asks for a slot on a thread of its own. */
    private record Waiter(Thread thread, CompletableFuture<DestinationSlots.Slot> slot) {
        static Waiter start(DestinationSlots slots, String domain) {
            CompletableFuture<DestinationSlots.Slot> slot = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().daemon().start(() -> {
                try {
                    slot.complete(slots.acquire(domain));
                } catch (InterruptedException e) {
                    slot.completeExceptionally(e);
                }
            });
            return new Waiter(thread, slot);
        }

        /** Until the thread is parked in the semaphore (or done, which the caller's assertions catch). */
        void awaitWaiting() {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (thread.getState() != Thread.State.WAITING && !slot.isDone() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
            }
            assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
        }
    }
}
