package dev.mta.delivery.dsn;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** What a report may say: RFC 3463 status codes that fit the action, fields where they belong. */
class DsnRecipientTest {

    private static DsnRecipient recipient(DsnAction action, String status) {
        return new DsnRecipient("bob@example.com", Optional.empty(), action, status, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void statusMustBeAnRfc3463Code() {
        assertThatThrownBy(() -> recipient(DsnAction.FAILED, "550")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recipient(DsnAction.FAILED, "5.1.1234")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recipient(DsnAction.FAILED, "3.1.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> recipient(DsnAction.FAILED, "5.100.999")).doesNotThrowAnyException();
    }

    @Test
    void aFailureMayCarryATransientStatusAfterExpiry() {
        assertThatCode(() -> recipient(DsnAction.FAILED, "4.4.7")).doesNotThrowAnyException();
    }

    @Test
    void aDelayIsTransientAndADeliveryASuccess() {
        assertThatThrownBy(() -> recipient(DsnAction.DELAYED, "5.1.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recipient(DsnAction.DELIVERED, "4.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recipient(DsnAction.RELAYED, "5.0.0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void willRetryUntilBelongsToADelayOnly() {
        assertThatThrownBy(() -> new DsnRecipient("bob@example.com", Optional.empty(), DsnAction.FAILED, "5.1.1",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(Reports.RETRY_UNTIL)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void originalRecipientNeedsAnAddressType() {
        assertThatThrownBy(() -> new DsnRecipient("bob@example.com", Optional.of("bob@example.com"),
                DsnAction.FAILED, "5.1.1", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReportNeedsARecipientAndAHostName() {
        assertThatThrownBy(() -> Reports.report(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DsnReport("relay example", "alice@example.org", Optional.empty(), Reports.ARRIVAL,
                "q", List.of(recipient(DsnAction.FAILED, "5.0.0")), Optional.empty(), false, Reports.NOW, "m@x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNonAsciiSenderMeansAnInternationalOriginal() {
        assertThatThrownBy(() -> new DsnReport("relay.example.net", "ælfred@example.org", Optional.empty(),
                Reports.ARRIVAL, "q", List.of(recipient(DsnAction.FAILED, "5.0.0")), Optional.empty(), false,
                Reports.NOW, "m@x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
