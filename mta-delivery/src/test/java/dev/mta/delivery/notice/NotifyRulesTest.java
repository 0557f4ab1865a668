package dev.mta.delivery.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.EnvelopeRecipient.Notify;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotifyRulesTest {

    private static EnvelopeRecipient notify(Notify... kinds) {
        return new EnvelopeRecipient("rcpt@example.org", Set.of(kinds), Optional.empty());
    }

    @Test
    void withoutNotifyFailuresAndDelaysAreReportedButNotSuccess() {
        EnvelopeRecipient plain = EnvelopeRecipient.of("rcpt@example.org");
        assertThat(NotifyRules.wantsFailure(plain)).isTrue();
        assertThat(NotifyRules.wantsDelay(plain)).isTrue();
        assertThat(NotifyRules.wantsRelayedNotice(plain, false)).isFalse();
    }

    @Test
    void notifyNeverSilencesEveryNotice() {
        EnvelopeRecipient never = notify(Notify.NEVER);
        assertThat(NotifyRules.wantsFailure(never)).isFalse();
        assertThat(NotifyRules.wantsDelay(never)).isFalse();
        assertThat(NotifyRules.wantsRelayedNotice(never, false)).isFalse();
    }

    @Test
    void anExplicitListIsFollowedExactly() {
        EnvelopeRecipient successOnly = notify(Notify.SUCCESS);
        assertThat(NotifyRules.wantsFailure(successOnly)).isFalse();
        assertThat(NotifyRules.wantsDelay(successOnly)).isFalse();
        EnvelopeRecipient failureAndDelay = notify(Notify.FAILURE, Notify.DELAY);
        assertThat(NotifyRules.wantsFailure(failureAndDelay)).isTrue();
        assertThat(NotifyRules.wantsDelay(failureAndDelay)).isTrue();
    }

    @Test
    void successIsReportedAsRelayedOnlyWhenTheNextHopDidNotTakeTheDsnRequest() {
        EnvelopeRecipient success = notify(Notify.SUCCESS, Notify.FAILURE);
        assertThat(NotifyRules.wantsRelayedNotice(success, false)).isTrue();
        assertThat(NotifyRules.wantsRelayedNotice(success, true)).isFalse();
    }
}
