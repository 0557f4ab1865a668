package dev.mta.server.cli;

import dev.mta.queue.QueueSummary;
import dev.mta.queue.QueueSummary.AgeBucket;
import dev.mta.queue.QueueSummary.DomainShape;
import dev.mta.queue.RecipientState;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mta queue summary}: the queue's shape, as Postfix's qshape prints it (recipients waiting
 * per destination domain and age of their message), with counts by state and the most common
 * deferral reasons.
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Recipients per destination domain by age and state, and the top deferral reasons (like qshape).")
final class QueueSummaryCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--top", paramLabel = "N", description = "How many deferral reasons to show (default 5).")
    int top = 5;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (top < 0) {
            throw new CommandFailure(ExitCodes.USAGE, "--top must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (QueueAccess queue = QueueCommand.access(config)) {
            QueueSummary summary = queue.summary(top);
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-32s %6s", "", "T"));
            for (AgeBucket bucket : AgeBucket.values()) {
                header.append(String.format(Locale.ROOT, " %8s", bucket.label()));
            }
            for (RecipientState state : RecipientState.values()) {
                header.append(String.format(Locale.ROOT, " %9s", state.name().toLowerCase(Locale.ROOT)));
            }
            out.println(header);
            row(out, summary.total());
            summary.domains().forEach(domain -> row(out, domain));
            out.println();
            out.println(summary.messages() + " message" + (summary.messages() == 1 ? "" : "s") + " in the queue");
            if (!summary.topReasons().isEmpty()) {
                out.println("top deferral reasons:");
                summary.topReasons().forEach(reason -> out.printf(Locale.ROOT, "%8d  %s%n", reason.recipients(), reason.reply()));
            }
            return ExitCodes.OK;
        }
    }

    private static void row(PrintWriter out, DomainShape shape) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%32s %6d", shape.domain(), shape.unsettled()));
        for (AgeBucket bucket : AgeBucket.values()) {
            line.append(String.format(Locale.ROOT, " %8d", shape.count(bucket)));
        }
        for (RecipientState state : RecipientState.values()) {
            line.append(String.format(Locale.ROOT, " %9d", shape.count(state)));
        }
        out.println(line);
    }
}
