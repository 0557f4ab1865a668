package dev.mta.security.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TlsRptSettingsTest {

    @Test
    void submitterIsTheDomainOfTheContactMailbox() {
        assertThat(TlsRptSettings.of("Org", "tlsrpt@MTA.Example.org").submitter()).isEqualTo("mta.example.org");
    }

    @Test
    void reportingNeedsAnOrganizationAndAContactMailbox() {
        assertThatIllegalArgumentException().isThrownBy(() -> TlsRptSettings.of(" ", "tlsrpt@example.org"));
        assertThatIllegalArgumentException().isThrownBy(() -> TlsRptSettings.of("Org", "example.org"));
        assertThatIllegalArgumentException().isThrownBy(() -> TlsRptSettings.of("Org", "tlsrpt@"));
    }

    @Test
    void limitsAndDelayMustBeSensible() {
        TlsRptSettings settings = TlsRptSettings.of("Org", "tlsrpt@example.org");
        assertThatIllegalArgumentException().isThrownBy(() -> settings.withLimits(0, 1, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> settings.withSendDelay(Duration.ofHours(-1)));
    }

    @Test
    void disabledReportingNeedsNoNames() {
        assertThat(TlsRptSettings.disabled().enabled()).isFalse();
    }
}
