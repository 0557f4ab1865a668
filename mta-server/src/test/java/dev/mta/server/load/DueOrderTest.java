package dev.mta.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The order measure BacklogDrainTest relies on. */
class DueOrderTest {

    @Test
    void deliveriesInDueOrderHaveNoLag() {
        assertThat(DueOrder.of(List.of(0, 1, 1, 2, 5))).isEqualTo(new DueOrder(0, 0));
    }

    @Test
    void equalDueTimesInAnyOrderAreNoViolation() {
        assertThat(DueOrder.of(List.of(3, 3, 3, 4))).isEqualTo(new DueOrder(0, 0));
    }

    @Test
    void aDeliveryAheadOfThreeEarlierOnesHasLagThree() {
        assertThat(DueOrder.of(List.of(0, 4, 1, 2, 3, 5))).isEqualTo(new DueOrder(3, 1));
    }

    @Test
    void theReverseOrderLagsByEverythingAfter() {
        assertThat(DueOrder.of(List.of(3, 2, 1, 0))).isEqualTo(new DueOrder(3, 3));
    }
}
