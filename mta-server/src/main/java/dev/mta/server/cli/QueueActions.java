package dev.mta.server.cli;

import dev.mta.queue.MessageStore;
import dev.mta.queue.QueueChange;
import dev.mta.queue.Selection;
import dev.mta.queue.StoreException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The operator's actions on queued mail (Postfix's postsuper): hold, release, requeue, bounce,
 * delete. Each works whether or not the relay runs, leaves alone what a delivery is attempting
 * right now (and says so), and is logged with the user who did it.
 */
final class QueueActions {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.mta.admin");

    private QueueActions() {
    }

    /** What every action shares: the configuration, the selection, the output. */
    abstract static class Action implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Mixin
        SelectionOptions select;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        abstract String verb();

        abstract QueueChange apply(MessageStore store, Selection selection, Instant now) throws StoreException;

        /** Whether the whole queue may be acted on without naming ids or filters. */
        boolean mayTakeEverything() {
            return true;
        }

        @Override
        public Integer call() throws StoreException {
            Selection selection = select.selection();
            if (selection.isAll() && !mayTakeEverything()) {
                throw new CommandFailure(ExitCodes.USAGE, verb() + " needs queue ids or a filter (--domain, --sender, ...)");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (MessageStore store = QueueCommand.open(config)) {
                QueueChange change = apply(store, selection, Instant.now());
                String user = System.getProperty("user.name", "unknown");
                LOG.info("queue {} by user={} selection=[{}]: {} recipient(s) in {} message(s){}", verb(), user, selection,
                        change.recipients(), change.messages(),
                        change.leased().isEmpty() ? "" : ", " + change.leased().size() + " being delivered, left alone");
                out.println(verb() + ": " + change.recipients() + " recipient" + (change.recipients() == 1 ? "" : "s") + " in "
                        + change.messages() + " message" + (change.messages() == 1 ? "" : "s"));
                if (!change.leased().isEmpty()) {
                    out.println("left alone, being delivered now (try again in a moment): " + change.leased().size()
                            + " recipient" + (change.leased().size() == 1 ? "" : "s"));
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true, description = "Keep mail from delivery until released.")
    static final class Hold extends Action {
        String verb() {
            return "hold";
        }

        QueueChange apply(MessageStore store, Selection selection, Instant now) throws StoreException {
            return store.hold(selection, now);
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Let held mail go; it is due at once.")
    static final class Release extends Action {
        String verb() {
            return "release";
        }

        QueueChange apply(MessageStore store, Selection selection, Instant now) throws StoreException {
            return store.release(selection, now);
        }
    }

    @Command(name = "requeue", mixinStandardHelpOptions = true,
            description = "Make mail due now (held mail too), keeping its attempts and queue lifetime.")
    static final class Requeue extends Action {
        String verb() {
            return "requeue";
        }

        QueueChange apply(MessageStore store, Selection selection, Instant now) throws StoreException {
            return store.requeue(selection, now);
        }
    }

    @Command(name = "bounce", mixinStandardHelpOptions = true,
            description = "Return mail to its senders with a DSN (RFC 3464) giving the reason.")
    static final class Bounce extends Action {
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the DSN: \"recipient left the company\".")
        String why;

        String verb() {
            return "bounce";
        }

        @Override
        boolean mayTakeEverything() {
            return false;
        }

        QueueChange apply(MessageStore store, Selection selection, Instant now) throws StoreException {
            return store.bounce(selection, why, now);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Remove mail from the queue for good, without a DSN. Asks first unless --yes.")
    static final class Delete extends Action {
        @Option(names = "--yes", description = "Do not ask.")
        boolean yes;

        String verb() {
            return "delete";
        }

        @Override
        boolean mayTakeEverything() {
            return false;
        }

        QueueChange apply(MessageStore store, Selection selection, Instant now) throws StoreException {
            if (!yes && !confirmed(store, selection, now)) {
                throw new CommandFailure(ExitCodes.TEMPORARY_FAILURE, "nothing deleted");
            }
            return store.delete(selection, now);
        }

        private boolean confirmed(MessageStore store, Selection selection, Instant now) throws StoreException {
            java.io.Console console = System.console();
            if (console == null) {
                // No terminal to ask (a script, a pipe): refuse rather than guess.
                spec.commandLine().getErr().println("mta: no terminal to confirm on; add --yes to delete without asking");
                return false;
            }
            int messages = store.list(selection, now).size();
            String answer = console.readLine("delete %d message%s for good, with no notice to their senders? [y/N] ",
                    messages, messages == 1 ? "" : "s");
            return answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
        }
    }
}
