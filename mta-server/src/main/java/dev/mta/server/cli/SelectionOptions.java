package dev.mta.server.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.queue.Selection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Which queued mail an operator command acts on: ids, and filters that must all hold. */
final class SelectionOptions {
    @Parameters(paramLabel = "ID", arity = "0..*", description = "Queue ids (none: every message the filters select).")
    List<String> ids = new ArrayList<>();

    @Option(names = "--sender", paramLabel = "ADDRESS", description = "Only mail from this sender (\"\" is the null sender).")
    String sender;

    @Option(names = "--recipient", paramLabel = "ADDRESS", description = "Only recipients with this address.")
    String recipient;

    @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only recipients in this domain.")
    String domain;

    @Option(names = "--state", paramLabel = "STATE", description = "queued, deferred or held (repeatable).")
    List<String> states = new ArrayList<>();

    @Option(names = "--older-than", paramLabel = "AGE", description = "Only mail that arrived at least this long ago (30m, 2h, 3d).")
    String olderThan;

    @Option(names = "--reply", paramLabel = "TEXT", description = "Only recipients whose last reply contains this text.")
    String reason;

    Selection selection() {
        Selection selection;
        try {
            selection = ids.isEmpty() ? Selection.all() : Selection.messages(ids.stream().map(SelectionOptions::queueId).toList());
            if (sender != null) {
                selection = selection.sender(sender);
            }
            if (recipient != null) {
                selection = selection.recipient(recipient);
            }
            if (domain != null) {
                selection = selection.recipientDomain(domain);
            }
            if (!states.isEmpty()) {
                List<RecipientState> parsed = states.stream().map(SelectionOptions::state).toList();
                selection = selection.states(parsed.getFirst(), parsed.subList(1, parsed.size()).toArray(RecipientState[]::new));
            }
            if (olderThan != null) {
                selection = selection.olderThan(duration(olderThan));
            }
            if (reason != null) {
                selection = selection.reason(reason);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
        }
        return selection;
    }

    private static QueueId queueId(String text) {
        try {
            return QueueId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, "not a queue id: " + text);
        }
    }

    private static RecipientState state(String text) {
        try {
            return RecipientState.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, "not a state: " + text + " (queued, deferred, held, delivered, bounced)");
        }
    }

    /** Durations as the configuration writes them (30m, 2h, 3d), read by the same library. */
    private static Duration duration(String text) {
        try {
            return ConfigFactory.parseString("age = " + text).getDuration("age");
        } catch (ConfigException e) {
            throw new CommandFailure(ExitCodes.USAGE, "not a duration: " + text + " (e.g. 30m, 2h, 3d)");
        }
    }
}
