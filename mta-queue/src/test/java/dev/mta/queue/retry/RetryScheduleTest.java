package dev.mta.queue.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void theDefaultsArePostfixLikeFiveMinutesDoublingToAnHour() {
        RetrySchedule schedule = RetrySchedule.DEFAULT;

        assertThat(schedule).isEqualTo(new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1), 2.0));
        assertThat(schedule.nextAttempt(1, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(schedule.nextAttempt(2, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(schedule.nextAttempt(3, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(20)));
        assertThat(schedule.nextAttempt(4, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(40)));
        assertThat(schedule.nextAttempt(5, NOW)).isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void theDelayNeverExceedsTheMaximumHoweverManyAttempts() {
        assertThat(RetrySchedule.DEFAULT.delayAfter(40)).isEqualTo(Duration.ofHours(1));
        assertThat(RetrySchedule.DEFAULT.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aFactorOfOneRetriesAtFixedIntervals() {
        RetrySchedule fixed = new RetrySchedule(Duration.ofMinutes(15), Duration.ofMinutes(15), 1.0);

        assertThat(fixed.delayAfter(1)).isEqualTo(Duration.ofMinutes(15));
        assertThat(fixed.delayAfter(9)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aFractionalFactorGrowsGently() {
        RetrySchedule gentle = new RetrySchedule(Duration.ofMinutes(4), Duration.ofHours(4), 1.5);

        assertThat(gentle.delayAfter(2)).isEqualTo(Duration.ofMinutes(6));
        assertThat(gentle.delayAfter(3)).isEqualTo(Duration.ofMinutes(9));
    }

    @Test
    void theAttemptThatJustFailedIsCounted() {
        assertThatThrownBy(() -> RetrySchedule.DEFAULT.nextAttempt(0, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempt that just failed");
    }

    @Test
    void refusesSchedulesThatMakeNoSense() {
        assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, Duration.ofHours(1), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofHours(2), Duration.ofHours(1), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1), 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
