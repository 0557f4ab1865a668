package dev.mta.server.cli;

import dev.mta.queue.QueueChange;
import dev.mta.queue.Selection;
import dev.mta.server.admin.QueueAction;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The operator's actions on queued mail (Postfix's postsuper): hold, release, requeue, bounce,
 * delete. Each works whether or not the relay runs (through its admin API when it answers, else
 * in the store), leaves alone what a delivery is attempting right now (and says so), and is
 * logged with the user who did it.
 */
final class QueueActions {

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

        abstract QueueAction action();

        /** For a bounce, the DSN's text. */
        Optional<String> reason() {
            return Optional.empty();
        }

        /** Whether the operator agrees to go on (delete asks). */
        boolean confirmed(QueueAccess queue, Selection selection) throws Exception {
            return true;
        }

        @Override
        public Integer call() throws Exception {
            Selection selection = select.selection();
            QueueAction action = action();
            if (selection.isAll() && !action.mayTakeEverything()) {
                throw new CommandFailure(ExitCodes.USAGE, action.verb() + " needs queue ids or a filter (--domain, --sender, ...)");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (QueueAccess queue = QueueCommand.access(config)) {
                if (!confirmed(queue, selection)) {
                    throw new CommandFailure(ExitCodes.TEMPORARY_FAILURE, "nothing deleted");
                }
                QueueChange change = queue.act(action, selection, reason());
                out.println(action.verb() + ": " + change.recipients() + " recipient" + (change.recipients() == 1 ? "" : "s") + " in "
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
        QueueAction action() {
            return QueueAction.HOLD;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Let held mail go; it is due at once.")
    static final class Release extends Action {
        QueueAction action() {
            return QueueAction.RELEASE;
        }
    }

    @Command(name = "requeue", mixinStandardHelpOptions = true,
            description = "Make mail due now (held mail too), keeping its attempts and queue lifetime.")
    static final class Requeue extends Action {
        QueueAction action() {
            return QueueAction.REQUEUE;
        }
    }

    @Command(name = "bounce", mixinStandardHelpOptions = true,
            description = "Return mail to its senders with a DSN (RFC 3464) giving the reason.")
    static final class Bounce extends Action {
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the DSN: \"recipient left the company\".")
        String why;

        QueueAction action() {
            return QueueAction.BOUNCE;
        }

        @Override
        Optional<String> reason() {
            return Optional.of(why);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Remove mail from the queue for good, without a DSN. Asks first unless --yes.")
    static final class Delete extends Action {
        @Option(names = "--yes", description = "Do not ask.")
        boolean yes;

        QueueAction action() {
            return QueueAction.DELETE;
        }

        @Override
        boolean confirmed(QueueAccess queue, Selection selection) throws Exception {
            if (yes) {
                return true;
            }
            java.io.Console console = System.console();
            if (console == null) {
                // No terminal to ask (a script, a pipe): refuse rather than guess.
                spec.commandLine().getErr().println("mta: no terminal to confirm on; add --yes to delete without asking");
                return false;
            }
            int messages = queue.list(selection).size();
            String answer = console.readLine("delete %d message%s for good, with no notice to their senders? [y/N] ",
                    messages, messages == 1 ? "" : "s");
            return answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
        }
    }
}
