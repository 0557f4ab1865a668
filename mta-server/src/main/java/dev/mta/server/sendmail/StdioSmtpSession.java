package dev.mta.server.sendmail;

import dev.mta.server.config.RelayConfig;
import dev.mta.server.pickup.DropEnvelope;
import dev.mta.server.pickup.DroppedMessage;
import dev.mta.server.smtp.syntax.EsmtpParameters;
import dev.mta.server.smtp.syntax.Mailbox;
import dev.mta.server.smtp.syntax.PathParser;
import dev.mta.server.smtp.syntax.SyntaxException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code sendmail -bs}: an SMTP dialogue (RFC 5321) on standard input and output, for programs
 * that submit that way (PHP mailers, Symfony's sendmail transport). The caller is a local user,
 * so there is no TLS and no AUTH; each message is completed like any sendmail submission (From,
 * Date, Message-ID, Bcc removed) and goes into the mail drop directory before 250 is answered.
 */
public final class StdioSmtpSession {
    // RFC 5321 4.5.3.1.4 / 4.5.3.1.6: command and text line limits, with CRLF.
    private static final int MAX_COMMAND_LINE = 512;
    private static final int MAX_TEXT_LINE = 1000;

    /** Where a completed message goes; {@link IOException} when it cannot be kept. */
    @FunctionalInterface
    public interface Drop {
        DroppedMessage drop(Submission submission) throws IOException;
    }

    private final RelayConfig config;
    private final InputStream in;
    private final PrintWriter out;
    private final Drop drop;
    private final DropEnvelope.Submitter user;
    private final SubmissionRules rules;

    private boolean greeted;
    private Optional<String> sender = Optional.empty();
    private final List<String> recipients = new ArrayList<>();

    public StdioSmtpSession(RelayConfig config, InputStream in, PrintWriter out, Drop drop, DropEnvelope.Submitter user,
            Clock clock) {
        this.config = config;
        this.in = in;
        this.out = out;
        this.drop = drop;
        this.user = user;
        this.rules = new SubmissionRules(config.sendmail(), config.hostname(), clock);
    }

    /** Runs the dialogue until QUIT or end of input; returns the exit code (0). */
    public int run() throws IOException {
        reply("220 " + config.hostname() + " ESMTP mta (sendmail -bs)");
        String line;
        while ((line = readLine(MAX_COMMAND_LINE)) != null) {
            String upper = line.toUpperCase(Locale.ROOT);
            String verb = upper.split(" ", 2)[0];
            switch (verb) {
                case "EHLO" -> ehlo(true);
                case "HELO" -> ehlo(false);
                case "MAIL" -> mail(line);
                case "RCPT" -> rcpt(line);
                case "DATA" -> data();
                case "RSET" -> {
                    reset();
                    reply("250 2.0.0 Ok");
                }
                case "NOOP" -> reply("250 2.0.0 Ok");
                case "VRFY" -> reply("252 2.5.0 Send some mail and see");
                case "QUIT" -> {
                    reply("221 2.0.0 Bye");
                    return 0;
                }
                default -> reply("502 5.5.2 Command not recognized");
            }
        }
        return 0;
    }

    private void ehlo(boolean extended) {
        greeted = true;
        reset();
        if (!extended) {
            reply("250 " + config.hostname());
            return;
        }
        reply("250-" + config.hostname(), "250-SIZE " + config.smtp().maxMessageSize(), "250-8BITMIME",
                "250-SMTPUTF8", "250-ENHANCEDSTATUSCODES", "250 PIPELINING");
    }

    private void mail(String line) {
        if (!greeted) {
            reply("503 5.5.1 Say EHLO first");
            return;
        }
        if (sender.isPresent()) {
            reply("503 5.5.1 A transaction is already open");
            return;
        }
        Optional<PathParser.Parsed> parsed = path(line, "MAIL FROM:", true);
        if (parsed.isEmpty()) {
            return;
        }
        try {
            EsmtpParameters.parse(parsed.get().rest()); // BODY, SIZE, SMTPUTF8: the body is inspected anyway
        } catch (SyntaxException e) {
            reply("555 5.5.4 " + e.getMessage());
            return;
        }
        sender = Optional.of(parsed.get().mailbox().map(Mailbox::address).orElse(""));
        reply("250 2.1.0 Ok");
    }

    private void rcpt(String line) {
        if (sender.isEmpty()) {
            reply("503 5.5.1 MAIL first");
            return;
        }
        Optional<PathParser.Parsed> parsed = path(line, "RCPT TO:", false);
        if (parsed.isEmpty()) {
            return;
        }
        recipients.add(parsed.get().mailbox().orElseThrow().address());
        reply("250 2.1.5 Ok");
    }

    private Optional<PathParser.Parsed> path(String line, String prefix, boolean nullAllowed) {
        if (!line.regionMatches(true, 0, prefix, 0, prefix.length())) {
            reply("501 5.5.4 Syntax: " + prefix + "<address>");
            return Optional.empty();
        }
        try {
            // Commands are read as bytes; an SMTPUTF8 address is UTF-8 (RFC 6531 3.3).
            String utf8 = new String(line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            return Optional.of(PathParser.parse(utf8.substring(prefix.length()).stripLeading(), nullAllowed, true));
        } catch (SyntaxException e) {
            reply("501 5.1.3 " + e.getMessage());
            return Optional.empty();
        }
    }

    private void data() throws IOException {
        if (recipients.isEmpty()) {
            reply(sender.isEmpty() ? "503 5.5.1 MAIL first" : "554 5.5.1 No valid recipients");
            return;
        }
        reply("354 End data with <CR><LF>.<CR><LF>");
        List<String> lines = new ArrayList<>();
        long size = 0;
        boolean tooLarge = false;
        String line;
        while ((line = readLine(MAX_TEXT_LINE * 1000)) != null && !line.equals(".")) {
            String unstuffed = line.startsWith(".") ? line.substring(1) : line; // RFC 5321 4.5.2
            size += unstuffed.length() + 2;
            if (size > config.smtp().maxMessageSize()) {
                tooLarge = true;
            } else {
                lines.add(unstuffed);
            }
        }
        if (line == null) {
            return; // input ended inside DATA: nothing was accepted
        }
        if (tooLarge) {
            reset();
            reply("552 5.3.4 Message too big");
            return;
        }
        SendmailRequest request = new SendmailRequest(recipients, false, sender, Optional.ofNullable(System.getenv("NAME")),
                java.util.Set.of(), Optional.empty(), Optional.empty(), user.name());
        try {
            Submission submission = rules.apply(request, lines);
            DroppedMessage dropped = drop.drop(submission);
            reply("250 2.0.0 Ok: queued as " + dropped.name());
        } catch (SubmissionRefused refused) {
            reply("554 5.6.0 " + refused.getMessage());
        } catch (IOException e) {
            // The message is not kept: the client must keep it (RFC 5321 4.2.5).
            reply("451 4.3.0 Cannot keep the message now: " + e.getMessage());
        }
        reset();
    }

    private void reset() {
        sender = Optional.empty();
        recipients.clear();
    }

    private void reply(String... lines) {
        for (String line : lines) {
            out.print(line + "\r\n");
        }
        out.flush();
    }

    /** One line without its CRLF (or bare LF), ISO-8859-1; null at end of input. */
    private String readLine(int limit) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            if (line.size() < limit) {
                line.write(b);
            }
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
