package dev.mta.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The status class of a settlement's diagnosis fits its outcome (RFC 3463 3.1). */
class SettlementTest {
    private static final Instant LATER = Instant.parse("2026-03-01T11:00:00Z");

    @Test
    void aDeliveryCarriesASuccessStatus() {
        assertThat(new Settlement.Delivered(Diagnosis.remote("2.0.0", "250 2.0.0 ok", "mx"), false).reply())
                .isEqualTo("250 2.0.0 ok");
        assertThatThrownBy(() -> new Settlement.Delivered(Diagnosis.local("4.0.0", "later"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delivered");
    }

    @Test
    void aDeferralCarriesATransientStatusAndItsNextAttempt() {
        assertThat(new Settlement.Deferred(Diagnosis.local("4.4.1", "connection refused"), LATER).nextAttempt())
                .isEqualTo(LATER);
        assertThatThrownBy(() -> new Settlement.Deferred(Diagnosis.local("5.1.1", "unknown"), LATER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deferred");
        assertThatThrownBy(() -> new Settlement.Deferred(Diagnosis.local("4.4.1", "refused"), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("next attempt");
    }

    @Test
    void aBounceCarriesAPermanentStatusOrTheTransientOneOfAnExpiredRecipient() {
        assertThat(new Settlement.Bounced(Diagnosis.local("5.1.1", "unknown"), true).failureNotice()).isTrue();
        assertThat(new Settlement.Bounced(Diagnosis.local("4.4.7", "expired after 5 days: 451 try later"), true)
                .diagnosis().status()).isEqualTo("4.4.7");
        assertThatThrownBy(() -> new Settlement.Bounced(Diagnosis.local("2.0.0", "ok"), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bounced");
    }
}
