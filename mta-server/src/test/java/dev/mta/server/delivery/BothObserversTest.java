package dev.mta.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.delivery.scheduler.DeliveryObserver;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.Settlement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The meters and the status page's history both hear of each settlement, whatever the other does. */
class BothObserversTest {
    private static final Settlement DELIVERED = new Settlement.Delivered(Diagnosis.local("2.0.0", "250 ok"), false);

    @Test
    void bothAreToldInOrder() {
        List<String> told = new ArrayList<>();
        new BothObservers((r, s, d) -> told.add("first"), (r, s, d) -> told.add("second")).settled(null, DELIVERED, Duration.ZERO);
        assertThat(told).containsExactly("first", "second");
    }

    @Test
    void theSecondIsToldEvenWhenTheFirstFails() {
        List<Settlement> second = new ArrayList<>();
        DeliveryObserver failing = (r, s, d) -> {
            throw new IllegalStateException("meter registry closed");
        };
        // The failure still reaches the delivery service, which logs it and settles on.
        assertThatThrownBy(() -> new BothObservers(failing, (r, s, d) -> second.add(s)).settled(null, DELIVERED, Duration.ZERO))
                .hasMessage("meter registry closed");
        assertThat(second).containsExactly(DELIVERED);
    }
}
