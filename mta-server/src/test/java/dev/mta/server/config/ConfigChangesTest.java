package dev.mta.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
    @Test
    void theSpaceReserveNeedsARestartWhileTheMinimumFreeSpaceIsLive() {
        assertThat(ConfigChanges.restartNeeded(Set.of("queue.min-free-space", "queue.reserve-space",
                "smtp.max-recipients", "smtp.listeners.relay.port", "delivery.port")))
                .containsExactly("delivery.port", "queue.reserve-space", "smtp.listeners.relay.port");
    }
}
