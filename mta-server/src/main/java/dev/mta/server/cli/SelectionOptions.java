package dev.mta.server.cli;

import dev.mta.queue.RecipientState;
import dev.mta.queue.Selection;
import dev.mta.server.admin.SelectionParameters;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Which queued mail an operator command acts on: ids, and filters that must all hold. Read the way
 * the admin API reads its query parameters ({@link SelectionParameters}), so both refuse the same.
 */
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
        try {
            Selection selection = ids.isEmpty() ? Selection.all() : Selection.messages(ids.stream().map(SelectionParameters::id).toList());
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
                List<RecipientState> parsed = states.stream().map(SelectionParameters::state).toList();
                selection = selection.states(parsed.getFirst(), parsed.subList(1, parsed.size()).toArray(RecipientState[]::new));
            }
            if (olderThan != null) {
                selection = selection.olderThan(SelectionParameters.age(olderThan));
            }
            if (reason != null) {
                selection = selection.reason(reason);
            }
            return selection;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
        }
    }
}
