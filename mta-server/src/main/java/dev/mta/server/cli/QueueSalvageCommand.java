package dev.mta.server.cli;

import dev.mta.queue.QueueId;
import dev.mta.queue.StoreException;
import dev.mta.queue.h2.QueueSalvage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code mta queue salvage}: the documented way back when the relay refuses to start because
 * the queue database is damaged. Works on the store directly and only while no process has the
 * queue open; deletes nothing (see {@link QueueSalvage}). Exit 0 when every message came back,
 * 65 when mail had to be set aside for the postmaster.
 */
@Command(name = "salvage", mixinStandardHelpOptions = true,
        description = "Rebuild a damaged queue database from what can still be read; the relay must be stopped."
                + " Nothing is deleted: the damaged file and bodies whose envelope was lost are set aside.")
final class QueueSalvageCommand implements Callable<Integer> {
    private static final int HEADER_BYTES = 64 * 1024;

    @Mixin
    ConfigOptions config;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path data = config.load().config().dataDirectory();
        QueueSalvage.Report report;
        try {
            report = QueueSalvage.run(data, Clock.systemUTC());
        } catch (StoreException e) {
            throw new CommandFailure(ExitCodes.TEMPORARY_FAILURE, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("salvaged the queue in " + data.resolve("queue"));
        out.println("  damaged database and what H2 read out of it: " + report.damagedDirectory());
        out.println("  tables recovered: " + (report.tablesRecovered() ? "yes" : "no, the queue starts empty"));
        out.println("  messages in the queue now: " + report.messages());
        if (!report.restored().isEmpty()) {
            out.println("  of them put back from the envelope kept in their spool file: " + report.restored().size());
        }
        if (!report.bodiesSetAside().isEmpty()) {
            Path bodies = report.damagedDirectory().resolve("bodies");
            out.println("  bodies set aside, their envelope (sender, recipients) was lost: "
                    + report.bodiesSetAside().size() + ", in " + bodies);
            for (QueueId id : report.bodiesSetAside()) {
                out.println("    " + id + "  " + headline(bodies.resolve(id.value())));
            }
        }
        if (!report.messagesWithoutBody().isEmpty()) {
            out.println("  messages without a body, which cannot be relayed (mta queue show / delete): "
                    + String.join(" ", report.messagesWithoutBody().stream().map(QueueId::value).toList()));
        }
        boolean whole = report.tablesRecovered() && report.bodiesSetAside().isEmpty();
        return whole ? ExitCodes.OK : ExitCodes.DATA_ERROR;
    }

    /** From, To and Subject of a set-aside body, so the postmaster can tell whom to ask. */
    static String headline(Path body) {
        String head;
        try (InputStream in = Files.newInputStream(body)) {
            head = new String(in.readNBytes(HEADER_BYTES), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
        int end = head.indexOf("\r\n\r\n");
        String[] lines = (end < 0 ? head : head.substring(0, end)).split("\r\n");
        StringBuilder shown = new StringBuilder();
        for (String field : new String[] {"from", "to", "subject"}) {
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(field)) {
                    String value = line.substring(colon + 1).strip();
                    shown.append(shown.isEmpty() ? "" : "  ").append(line, 0, colon).append(": ")
                            .append(value.length() > 60 ? value.substring(0, 60) + "..." : value);
                    break;
                }
            }
        }
        return shown.isEmpty() ? "(no From, To or Subject)" : shown.toString();
    }
}
