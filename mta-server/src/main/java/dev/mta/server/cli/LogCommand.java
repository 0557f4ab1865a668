package dev.mta.server.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A message's history from the relay's log: every line that names its queue id (accepted or
 * picked up, each delivery attempt, hosts passed over, notices), and the history of the notices
 * it caused (a bounce's own delivery), in log order. Reads the journal of mta.service, or files.
 */
@Command(name = "log", mixinStandardHelpOptions = true,
        description = "Show the log lines of a message (and of the notices it caused) by queue id.")
final class LogCommand implements Callable<Integer> {
    // Every line about a message carries id=<queue id>; a notice names its own id after "notice id=".
    private static final Pattern NOTICE = Pattern.compile("\\bnotice id=([A-Za-z0-9]+)");

    @Parameters(paramLabel = "ID", description = "The queue id, as in the accepted line or mailq.")
    String id;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "Read this log file (repeatable; - is standard input). Default: journalctl -u mta.")
    List<Path> files = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!id.matches("[A-Za-z0-9]+")) {
            throw new CommandFailure(ExitCodes.USAGE, "not a queue id: " + id);
        }
        List<String> lines = read();
        Set<String> ids = new LinkedHashSet<>();
        ids.add(id);
        // A notice's own lines come after the line that created it: one pass in log order finds
        // notices of notices too.
        List<String> history = new ArrayList<>();
        for (String line : lines) {
            if (ids.stream().anyMatch(known -> names(line, known))) {
                history.add(line);
                Matcher notice = NOTICE.matcher(line);
                while (notice.find()) {
                    ids.add(notice.group(1));
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (history.isEmpty()) {
            spec.commandLine().getErr().println("mta: no log lines name " + id);
            return ExitCodes.DATA_ERROR;
        }
        history.forEach(out::println);
        return ExitCodes.OK;
    }

    private static boolean names(String line, String queueId) {
        int at = line.indexOf("id=" + queueId);
        while (at >= 0) {
            int end = at + 3 + queueId.length();
            boolean startsWord = at == 0 || !Character.isLetterOrDigit(line.charAt(at - 1));
            boolean endsWord = end == line.length() || !Character.isLetterOrDigit(line.charAt(end));
            if (startsWord && endsWord) {
                return true;
            }
            at = line.indexOf("id=" + queueId, at + 1);
        }
        return false;
    }

    private List<String> read() throws IOException, InterruptedException {
        if (files.isEmpty()) {
            return journal();
        }
        List<String> lines = new ArrayList<>();
        for (Path file : files) {
            if (file.toString().equals("-")) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                in.lines().forEach(lines::add);
            } else {
                try {
                    lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new CommandFailure(ExitCodes.NO_INPUT, "cannot read " + file + ": " + e.getMessage());
                }
            }
        }
        return lines;
    }

    /** The relay's journal, as journald keeps what mta.service writes to standard output. */
    private static List<String> journal() throws IOException, InterruptedException {
        Process journalctl;
        try {
            journalctl = new ProcessBuilder("journalctl", "-u", "mta", "-o", "cat", "--no-pager").start();
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "no journalctl here; give the log with --file");
        }
        List<String> lines;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(journalctl.getInputStream(), StandardCharsets.UTF_8))) {
            lines = in.lines().toList();
        }
        if (journalctl.waitFor() != 0) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "journalctl -u mta failed; give the log with --file");
        }
        return lines;
    }
}
