package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.mta.queue.ClaimedRecipient;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.QueueSummary;
import dev.mta.queue.QueueSummary.AgeBucket;
import dev.mta.queue.QueueSummary.DeferralReason;
import dev.mta.queue.QueueSummary.DomainShape;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.queue.Selection;
import dev.mta.queue.Settlement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filtered listings and the qshape-like summary, over a queue whose every recipient is known. */
class ListAndSummaryTest {
    private static final Instant NOW = Queueing.NOW;
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Instant RETRY = NOW.plus(Duration.ofHours(1));
    private static final String GREYLISTED = "451 4.7.1 greylisted, try again later";
    private static final String TIMEOUT = "421 4.4.2 mx.example.org: timeout";

    @TempDir
    Path data;
    H2MessageStore store;
    /** From alice, 2 hours old: bob and ann at example.net deferred (greylisted), carol at Example.COM bounced. */
    QueueId old;
    /** From the null sender, 3 minutes old: Bob at example.net queued, eve at EXAMPLE.com held. */
    QueueId recent;
    /** From Alice (capital A), 400 minutes old: frank at example.org deferred (timeout). */
    QueueId oldest;

    @BeforeEach
    void open() throws Exception {
        store = H2MessageStore.open(Queueing.settings(data));
        old = Queueing.queue(store, Envelopes.from("alice@example.org", NOW.minus(Duration.ofHours(2)),
                "bob@example.net", "ann@example.net", "carol@Example.COM"), Queueing.body(1));
        oldest = Queueing.queue(store, Envelopes.from("Alice@example.org", NOW.minus(Duration.ofMinutes(400)),
                "frank@example.org"), Queueing.body(2));
        for (ClaimedRecipient claimed : store.claimDue(NOW, 10, "worker", LEASE)) {
            String address = claimed.recipient().address();
            Settlement settlement = address.startsWith("carol") ? Outcomes.bouncedWithNotice("550 5.1.1 unknown")
                    : address.startsWith("frank") ? Outcomes.deferred(TIMEOUT, RETRY)
                    : Outcomes.deferred(GREYLISTED, RETRY);
            store.settle(claimed.ref(), "worker", settlement);
        }
        recent = Queueing.queue(store, Envelopes.from("", NOW.minus(Duration.ofMinutes(3)),
                "Bob@example.net", "eve@EXAMPLE.com"), Queueing.body(3));
        store.hold(Selection.messages(recent).recipient("eve@example.com"), NOW);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theSummaryCountsEveryDomainByStateAndAge() throws Exception {
        QueueSummary summary = store.summary(NOW, 5);

        assertThat(summary.at()).isEqualTo(NOW);
        assertThat(summary.messages()).isEqualTo(3);
        assertThat(summary.total().domain()).isEqualTo("TOTAL");
        assertThat(summary.total().byState()).isEqualTo(Map.of(RecipientState.QUEUED, 1, RecipientState.DEFERRED, 3,
                RecipientState.HELD, 1, RecipientState.DELIVERED, 0, RecipientState.BOUNCED, 1));
        assertThat(summary.total().count(AgeBucket.UNDER_5M)).isEqualTo(2);
        assertThat(summary.total().count(AgeBucket.UNDER_160M)).as("the bounced recipient waits for nothing").isEqualTo(2);
        assertThat(summary.total().count(AgeBucket.OVER_320M)).isEqualTo(1);
        assertThat(summary.total().unsettled()).isEqualTo(5);
        assertThat(summary.total().recipients()).isEqualTo(6);
        assertThat(summary.domains())
                .extracting(DomainShape::domain, DomainShape::unsettled, DomainShape::recipients)
                .as("most unsettled first, then most recipients")
                .containsExactly(tuple("example.net", 3, 3), tuple("example.com", 1, 2), tuple("example.org", 1, 1));
        DomainShape net = summary.domains().getFirst();
        assertThat(net.count(RecipientState.DEFERRED)).isEqualTo(2);
        assertThat(net.count(RecipientState.QUEUED)).isEqualTo(1);
        assertThat(net.count(AgeBucket.UNDER_160M)).isEqualTo(2);
        assertThat(net.count(AgeBucket.UNDER_5M)).isEqualTo(1);
        assertThat(net.count(AgeBucket.UNDER_10M)).isZero();
        assertThat(summary.topReasons()).containsExactly(new DeferralReason(GREYLISTED, 2), new DeferralReason(TIMEOUT, 1));
    }

    @Test
    void theSummaryKeepsOnlyTheTopReasonsAndAgesFromTheGivenMoment() throws Exception {
        QueueSummary summary = store.summary(NOW.plus(Duration.ofMinutes(3)), 1);

        assertThat(summary.topReasons()).containsExactly(new DeferralReason(GREYLISTED, 2));
        assertThat(summary.total().count(AgeBucket.UNDER_5M)).isZero();
        assertThat(summary.total().count(AgeBucket.UNDER_10M)).isEqualTo(2);
    }

    @Test
    void anEmptyQueueHasAnEmptySummary() throws Exception {
        store.delete(Selection.all(), NOW);

        QueueSummary summary = store.summary(NOW, 5);

        assertThat(summary.messages()).isZero();
        assertThat(summary.domains()).isEmpty();
        assertThat(summary.topReasons()).isEmpty();
        assertThat(summary.total().recipients()).isZero();
    }

    @Test
    void theAgeBucketsDoubleFromFiveMinutes() {
        assertThat(AgeBucket.of(Duration.ofMinutes(-1))).isEqualTo(AgeBucket.UNDER_5M);
        assertThat(AgeBucket.of(Duration.ofMinutes(5).minusNanos(1))).isEqualTo(AgeBucket.UNDER_5M);
        assertThat(AgeBucket.of(Duration.ofMinutes(5))).isEqualTo(AgeBucket.UNDER_10M);
        assertThat(AgeBucket.of(Duration.ofMinutes(159))).isEqualTo(AgeBucket.UNDER_160M);
        assertThat(AgeBucket.of(Duration.ofMinutes(319))).isEqualTo(AgeBucket.UNDER_320M);
        assertThat(AgeBucket.of(Duration.ofMinutes(320))).isEqualTo(AgeBucket.OVER_320M);
        assertThat(AgeBucket.of(Duration.ofDays(30))).isEqualTo(AgeBucket.OVER_320M);
        assertThat(AgeBucket.UNDER_160M.label()).isEqualTo("80-160m");
    }

    @Test
    void listingEverythingIsTheWholeQueue() throws Exception {
        assertThat(listed(Selection.all())).containsExactly(oldest, old, recent);
        assertThat(store.list(Selection.all(), NOW)).isEqualTo(store.list());
    }

    @Test
    void aRecipientAddressMatchesItsDomainInAnyCaseAndItsLocalPartExactly() throws Exception {
        assertThat(listed(Selection.all().recipient("bob@EXAMPLE.NET"))).containsExactly(old);
        assertThat(listed(Selection.all().recipient("Bob@example.net"))).containsExactly(recent);
        assertThat(listed(Selection.all().recipient("nobody@example.net"))).isEmpty();
    }

    @Test
    void aListedMessageShowsAllItsRecipients() throws Exception {
        List<MessageSummary> listed = store.list(Selection.all().recipient("bob@example.net"), NOW);

        assertThat(listed.getFirst().recipients()).extracting(RecipientStatus::address)
                .containsExactly("bob@example.net", "ann@example.net", "carol@Example.COM");
    }

    @Test
    void aDomainMatchesInAnyCaseButNotAsAPattern() throws Exception {
        assertThat(listed(Selection.all().recipientDomain("EXAMPLE.com"))).containsExactly(old, recent);
        assertThat(listed(Selection.all().recipientDomain("@example.org"))).containsExactly(oldest);
        assertThat(listed(Selection.all().recipientDomain("example_net"))).isEmpty();
        assertThat(listed(Selection.all().recipientDomain("net"))).isEmpty();
    }

    @Test
    void theSenderMatchesLikeAnAddressAndTheEmptySenderIsTheNullSender() throws Exception {
        assertThat(listed(Selection.all().sender("alice@EXAMPLE.ORG"))).containsExactly(old);
        assertThat(listed(Selection.all().sender("Alice@example.org"))).containsExactly(oldest);
        assertThat(listed(Selection.all().sender(""))).containsExactly(recent);
    }

    @Test
    void statesAgeAndReasonSelect() throws Exception {
        assertThat(listed(Selection.all().states(RecipientState.HELD))).containsExactly(recent);
        assertThat(listed(Selection.all().states(RecipientState.BOUNCED, RecipientState.QUEUED))).containsExactly(old, recent);
        assertThat(listed(Selection.all().olderThan(Duration.ofHours(2)))).containsExactly(oldest, old);
        assertThat(listed(Selection.all().olderThan(Duration.ofHours(2).plusSeconds(1)))).containsExactly(oldest);
        assertThat(listed(Selection.all().reason("GREYLISTED"))).containsExactly(old);
        assertThat(listed(Selection.all().reason("4.4.2"))).containsExactly(oldest);
        assertThat(listed(Selection.all().reason("%"))).isEmpty();
    }

    @Test
    void criteriaCombineWithAndOnTheSameRecipient() throws Exception {
        assertThat(listed(Selection.all().recipientDomain("example.net").olderThan(Duration.ofHours(1)))).containsExactly(old);
        assertThat(listed(Selection.all().recipientDomain("example.net").sender(""))).containsExactly(recent);
        assertThat(listed(Selection.all().recipientDomain("example.com").states(RecipientState.DEFERRED)))
                .as("carol is bounced and eve held: no recipient of example.com is deferred").isEmpty();
        assertThat(listed(Selection.messages(old, recent).states(RecipientState.QUEUED))).containsExactly(recent);
    }

    @Test
    void actionsTakeTheSameSelection() throws Exception {
        assertThat(store.hold(Selection.all().reason("greylisted"), NOW).recipients()).isEqualTo(2);

        assertThat(store.find(old).orElseThrow().recipients()).extracting(RecipientStatus::state)
                .containsExactly(RecipientState.HELD, RecipientState.HELD, RecipientState.BOUNCED);
        assertThat(store.find(oldest).orElseThrow().recipients()).extracting(RecipientStatus::state)
                .containsExactly(RecipientState.DEFERRED);
    }

    private List<QueueId> listed(Selection selection) throws Exception {
        return store.list(selection, NOW).stream().map(MessageSummary::id).toList();
    }
}
