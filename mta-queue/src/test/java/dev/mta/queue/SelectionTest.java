package dev.mta.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectionTest {
    private static final QueueId ID = QueueId.parse("0123456789ab");

    @Test
    void criteriaAddUpAndAllIsNone() {
        Selection selection = Selection.messages(ID).sender("").recipient("bob@example.net")
                .recipientDomain(" @Example.NET ").states(RecipientState.DEFERRED, RecipientState.HELD)
                .olderThan(Duration.ofHours(1)).reason("greylisted");

        assertThat(selection).isEqualTo(new Selection(Set.of(ID), Optional.of(""), Optional.of("bob@example.net"),
                Optional.of("example.net"), Set.of(RecipientState.HELD, RecipientState.DEFERRED),
                Optional.of(Duration.ofHours(1)), Optional.of("greylisted")));
        assertThat(selection.isAll()).isFalse();
        assertThat(Selection.all().isAll()).isTrue();
        assertThat(Selection.all().states(RecipientState.QUEUED).isAll()).isFalse();
    }

    @Test
    void itReadsAsTheOperatorGaveIt() {
        assertThat(Selection.all()).hasToString("the whole queue");
        assertThat(Selection.messages(ID).sender("").recipientDomain("example.net").states(RecipientState.HELD)
                .olderThan(Duration.ofHours(1)).reason("greylisted"))
                .hasToString("ids=0123456789AB sender=<> domain=example.net states=HELD older than PT1H"
                        + " reason contains \"greylisted\"");
    }

    @Test
    void aCriterionIsGivenOnce() {
        assertThatThrownBy(() -> Selection.all().sender("a@example.org").sender("b@example.org"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sender");
        assertThatThrownBy(() -> Selection.all().recipientDomain("a.example").recipientDomain("b.example"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Selection.all().states(RecipientState.HELD).states(RecipientState.QUEUED))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void meaninglessCriteriaAreRefused() {
        assertThatThrownBy(() -> Selection.messages(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Selection.all()");
        assertThatThrownBy(() -> Selection.all().reason(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Selection.all().olderThan(Duration.ofMinutes(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Selection.all().recipientDomain("bob@example.net"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Selection.all().recipientDomain("@")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Selection.all().recipient("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChangeNamesTheMessagesItLeftAlone() {
        QueueId other = QueueId.parse("ZZZZZZZZZZZZ");
        QueueChange change = new QueueChange(0, 0,
                List.of(new RecipientRef(ID, 0), new RecipientRef(other, 1), new RecipientRef(ID, 2)));

        assertThat(change.leasedMessages()).containsExactly(ID, other);
        assertThatThrownBy(() -> new QueueChange(-1, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
