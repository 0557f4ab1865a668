package dev.mta.server.cli;

import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientStatus;
import dev.mta.server.admin.QueueJson;
import dev.mta.server.admin.ShownMessage;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mta queue ...}: what is queued and the operator's actions on it, whether or not the relay
 * is running. Through the running relay's admin API when it answers, else in the store.
 */
@Command(name = "queue", mixinStandardHelpOptions = true, description = "Inspect and manage the queue.",
        subcommands = {QueueCommand.List.class, QueueCommand.Show.class, QueueCommand.Flush.class,
            QueueSummaryCommand.class, QueueActions.Hold.class, QueueActions.Release.class, QueueActions.Requeue.class,
            QueueActions.Bounce.class, QueueActions.Delete.class, QueueSalvageCommand.class})
final class QueueCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say list, show, flush, summary, hold, release, requeue, bounce, delete or salvage");
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss", Locale.ENGLISH).withZone(ZoneId.systemDefault());

    /** The running relay's admin API, or the store when nothing answers there (see {@link QueueAccess#open}). */
    static QueueAccess access(ConfigOptions options) {
        return QueueAccess.open(options.load().config());
    }

    /** The queue's store itself, for commands that need more than the queue (mta policy reads its cached policies). */
    static dev.mta.queue.MessageStore open(ConfigOptions options) {
        return StoreQueueAccess.openStore(options.load().config());
    }

    /**
     * The mailq layout: id, size, arrival, sender; then each unsettled recipient and why it waits,
     * and each settled one whose DSN is still owed ({@code [bounced, notice pending]}): such a
     * message stays queued, with its body, until the notice is sent.
     */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List queued messages, oldest first; ids and filters narrow it down.")
    static final class List implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Mixin
        SelectionOptions select;

        @picocli.CommandLine.Option(names = "--json", description = "One JSON array, for scripts.")
        boolean json;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            dev.mta.queue.Selection selection = select.selection();
            try (QueueAccess queue = access(config)) {
                java.util.List<MessageSummary> messages = queue.list(selection);
                if (json) {
                    out.println(QueueJson.write(QueueJson.messages(messages)));
                    return ExitCodes.OK;
                }
                if (messages.isEmpty()) {
                    out.println("Mail queue is empty");
                    return ExitCodes.OK;
                }
                out.printf("%-12s %9s %-20s %s%n", "-Queue ID-", "-Size-", "----Arrival Time----", "-Sender/Recipient-------");
                long bytes = 0;
                int recipients = 0;
                for (MessageSummary message : messages) {
                    out.printf("%-12s %9d %-20s %s%n", message.id(), message.size(), TIME.format(message.receivedAt()),
                            message.sender().isEmpty() ? "MAILER-DAEMON" : message.sender());
                    for (RecipientStatus recipient : message.recipients()) {
                        if (recipient.state().isSettled() && recipient.pendingNotice().isEmpty()) {
                            continue;
                        }
                        recipient.lastReply().ifPresent(reply -> out.println("(" + reply + ")"));
                        out.printf("%44s%s  [%s%s]%n", "", recipient.address(), recipient.state().name().toLowerCase(Locale.ROOT),
                                recipient.pendingNotice().isPresent() ? ", notice pending" : "");
                        recipients++;
                    }
                    out.println();
                    bytes += message.size();
                }
                out.printf("-- %d Kbytes in %d Request%s, %d Recipient%s.%n", (bytes + 1023) / 1024, messages.size(),
                        messages.size() == 1 ? "" : "s", recipients, recipients == 1 ? "" : "s");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one message's envelope and recipients.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Parameters(paramLabel = "ID", description = "Queue id, as 'queue list' prints it.")
        String id;

        @picocli.CommandLine.Option(names = "--body", description = "Also print the whole message, not just its header.")
        boolean body;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            QueueId queueId;
            try {
                queueId = QueueId.parse(id);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ExitCodes.USAGE, "not a queue id: " + id);
            }
            PrintWriter out = spec.commandLine().getOut();
            try (QueueAccess queue = access(config)) {
                ShownMessage shown = queue.show(queueId, body).orElseThrow(() -> QueueAccess.missing(queueId));
                MessageDetail message = shown.detail();
                var envelope = message.envelope();
                out.println("id: " + message.id());
                out.println("sender: <" + envelope.sender() + ">");
                out.println("size: " + message.size());
                out.println("received: " + envelope.receivedAt() + " (" + age(envelope.receivedAt()) + " ago)");
                out.println("client: " + envelope.client().address() + " helo=" + envelope.client().heloName()
                        + envelope.client().authenticatedUser().map(u -> " auth=" + u).orElse(""));
                out.println("body: " + envelope.bodyType() + (envelope.smtpUtf8() ? " SMTPUTF8" : ""));
                envelope.dsnReturn().ifPresent(ret -> out.println("dsn-ret: " + ret));
                envelope.dsnEnvelopeId().ifPresent(envid -> out.println("dsn-envid: " + envid));
                out.println("recipients:");
                for (RecipientStatus recipient : message.recipients()) {
                    out.printf("  %s  state=%s attempts=%d%s%s%s%n", recipient.address(),
                            recipient.state().name().toLowerCase(Locale.ROOT), recipient.attempts(),
                            recipient.nextAttempt().map(t -> " next=" + t).orElse(""),
                            recipient.pendingNotice().map(k -> " notice-pending=" + k.name().toLowerCase(Locale.ROOT))
                                    .orElse(""),
                            recipient.lastReply().map(r -> " reply=\"" + r + "\"").orElse(""));
                }
                // The message as queued: its header, or with --body all of it (the mail's owner's
                // business; only root, the relay's user and holders of the admin token can read it).
                out.println(shown.whole() ? "message:" : "header:");
                shown.lines().forEach(line -> out.println("  " + line));
                return ExitCodes.OK;
            }
        }
    }

    static String age(Instant since) {
        Duration age = Duration.between(since, Instant.now());
        if (age.toDays() > 0) {
            return age.toDays() + "d" + age.toHoursPart() + "h";
        }
        if (age.toHours() > 0) {
            return age.toHours() + "h" + age.toMinutesPart() + "m";
        }
        return age.toMinutes() + "m" + age.toSecondsPart() + "s";
    }

    /**
     * Postfix's {@code postqueue -f} / {@code -i ID}: deferred recipients become due now. Through
     * the running relay's admin API they go at once; straight in the store, at the relay's next
     * queue scan (within a second).
     */
    @Command(name = "flush", mixinStandardHelpOptions = true,
            description = "Retry deferred mail now: every message, the ones given, or those the filters select (--domain ...).")
    static final class Flush implements Callable<Integer> {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.mta.admin");

        @Mixin
        ConfigOptions config;

        @Mixin
        SelectionOptions select;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            dev.mta.queue.Selection selection = select.selection();
            PrintWriter out = spec.commandLine().getOut();
            try (QueueAccess queue = access(config)) {
                if (selection.isAll() || isOneMessage(selection)) {
                    // postqueue -f / -i: everything waiting, or one message.
                    int due = queue.flush(selection.ids().stream().findFirst());
                    out.println(due + " recipient" + (due == 1 ? "" : "s") + " due now");
                    return ExitCodes.OK;
                }
                if (selection.states().contains(dev.mta.queue.RecipientState.HELD)) {
                    throw new CommandFailure(ExitCodes.USAGE, "flush leaves held mail alone; release it instead");
                }
                // By filters: what is waiting (queued or deferred, never held) is made due now,
                // attempts and lifetime kept: a requeue of those states.
                dev.mta.queue.Selection waiting = selection.states().isEmpty()
                        ? selection.states(dev.mta.queue.RecipientState.QUEUED, dev.mta.queue.RecipientState.DEFERRED)
                        : selection;
                dev.mta.queue.QueueChange change = queue.act(dev.mta.server.admin.QueueAction.REQUEUE, waiting, Optional.empty());
                LOG.info("queue flush by user={} selection=[{}]: {} recipient(s) in {} message(s)", StoreQueueAccess.user(),
                        waiting, change.recipients(), change.messages());
                out.println(change.recipients() + " recipient" + (change.recipients() == 1 ? "" : "s") + " due now");
                if (!change.leased().isEmpty()) {
                    out.println("left alone, being delivered now: " + change.leased().size() + " recipient"
                            + (change.leased().size() == 1 ? "" : "s"));
                }
                return ExitCodes.OK;
            }
        }

        private static boolean isOneMessage(dev.mta.queue.Selection selection) {
            return selection.ids().size() == 1
                    && selection.equals(dev.mta.queue.Selection.messages(selection.ids().iterator().next()));
        }
    }
}
