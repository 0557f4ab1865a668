package dev.mta.security.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StsModeTest {

    @Test
    void tokensRoundTrip() {
        for (StsMode mode : StsMode.values()) {
            assertThat(StsMode.ofToken(mode.token())).contains(mode);
        }
    }

    @Test
    void tokensAreCaseSensitive() {
        assertThat(StsMode.ofToken("ENFORCE")).isEmpty();
    }
}
