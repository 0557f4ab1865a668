package dev.mta.server.cli;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.server.config.ConfigLoader;
import dev.mta.server.config.RelayConfig;
import dev.mta.server.pickup.DropDirectory;
import dev.mta.server.pickup.DropEnvelope;
import dev.mta.server.pickup.DroppedMessage;
import dev.mta.server.pickup.MailDrop;
import dev.mta.server.pickup.MailDropWriter;
import dev.mta.server.pickup.PostdropHandover;
import dev.mta.server.sendmail.AddressCheck;
import dev.mta.server.sendmail.MessageInput;
import dev.mta.server.sendmail.SendmailRequest;
import dev.mta.server.sendmail.StdioSmtpSession;
import dev.mta.server.sendmail.Submission;
import dev.mta.server.sendmail.SubmissionRefused;
import dev.mta.server.sendmail.SubmissionRules;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The sendmail command line, as cron, scripts and PHP's mail() call it (Postfix's sendmail(1)
 * flags). The message goes into the mail drop directory, which the server takes into its queue,
 * so nothing is lost while the server is down.
 */
@Command(name = "sendmail", usageHelpAutoWidth = true,
        description = "Send a message from standard input, as sendmail(1) does; installed as /usr/sbin/sendmail.")
final class SendmailCommand implements Callable<Integer> {
    @Option(names = "-C", paramLabel = "FILE", description = "Configuration file (default: $MTA_CONFIG, else conf/mta.conf).")
    Path configFile;

    @Option(names = "-t", description = "Take recipients from To, Cc and Bcc (Bcc is removed); arguments are added.")
    boolean fromHeader;

    @Option(names = "-i", description = "A line with a single dot does not end the message.")
    boolean ignoreDots;

    @Option(names = "-o", paramLabel = "OPTION",
            description = "Sendmail options: -oi is -i; others (-odb, -oem, ...) are accepted and ignored.")
    List<String> sendmailOptions = new ArrayList<>();

    @Option(names = {"-f", "-r"}, paramLabel = "SENDER", description = "Envelope sender; \"\" or \"<>\" is the null sender.")
    String sender;

    @Option(names = "-F", paramLabel = "NAME", description = "Full name for a generated From (default: $NAME).")
    String fullName;

    @Option(names = "-N", paramLabel = "DSN", description = "Delivery notifications: never, or success,failure,delay.")
    String notify;

    @Option(names = "-R", paramLabel = "RET", description = "What a bounce returns: full or hdrs.")
    String dsnReturn;

    @Option(names = "-V", paramLabel = "ENVID", description = "Envelope id for delivery notifications.")
    String envelopeId;

    @Option(names = "-b", paramLabel = "MODE",
            description = "m: send (default); s: SMTP on standard input and output; p: list the queue (mailq); v: verify addresses;"
                    + " i: rebuild aliases (newaliases), a no-op.")
    String mode = "m";

    @Option(names = "-q", arity = "0..1", fallbackValue = "", paramLabel = "INTERVAL",
            description = "Retry deferred mail now (an interval, as in -q30m, is ignored: the server schedules retries).")
    String queueRun;

    @Option(names = "-B", paramLabel = "TYPE", description = "Body type (7BIT, 8BITMIME): accepted and ignored, the body is inspected.")
    String bodyType;

    @Option(names = "-v", description = "Say what was done.")
    boolean verbose;

    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    @Parameters(paramLabel = "RECIPIENT", description = "Recipient addresses (each may be a list).")
    List<String> recipients = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Standard input; {@link Main#run(String[], InputStream, PrintWriter, PrintWriter)} sets it. */
    InputStream input = System.in;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (queueRun != null) {
            return Main.run(queueArguments("flush"), input, out, spec.commandLine().getErr());
        }
        return switch (mode) {
            case "p" -> Main.run(queueArguments("list"), input, out, spec.commandLine().getErr());
            case "m" -> send(config());
            case "s" -> new StdioSmtpSession(config(), input, out, dropper(config()), user(), Clock.systemUTC()).run();
            case "v" -> verify(config(), out);
            case "i" -> {
                // sendmail -bi is newaliases; tools call it after editing /etc/aliases
                out.println("mta: no aliases database (sendmail.rewrite in the configuration does that job); nothing to do");
                yield ExitCodes.OK;
            }
            default -> throw new CommandFailure(ExitCodes.USAGE, "-b" + mode + " is not supported (use -bm, -bs, -bp, -bv or -bi)");
        };
    }

    private int send(RelayConfig config) throws IOException {
        SendmailRequest request = request();
        List<String> lines;
        try {
            lines = MessageInput.read(input, !ignoreDots && !sendmailOptions.contains("i"), config.smtp().maxMessageSize());
        } catch (MessageInput.TooLargeException | MessageInput.NulByteException e) {
            throw new CommandFailure(ExitCodes.DATA_ERROR, e.getMessage());
        }
        Submission submission;
        try {
            submission = new SubmissionRules(config.sendmail(), config.hostname(), Clock.systemUTC()).apply(request, lines);
        } catch (SubmissionRefused refused) {
            throw new CommandFailure(refused.exitCode(), refused.getMessage());
        }
        DroppedMessage dropped;
        try {
            dropped = dropper(config).drop(submission);
        } catch (IOException e) {
            // EX_TEMPFAIL: the caller (cron, a script) keeps the message or reports the failure.
            throw new CommandFailure(ExitCodes.TEMPORARY_FAILURE, "cannot write the message to the mail drop directory in "
                    + config.dataDirectory() + ": " + e.getMessage() + "; it was not sent");
        }
        if (verbose) {
            spec.commandLine().getOut().println("mta: queued as " + dropped.name() + " for "
                    + submission.recipients().stream().map(EnvelopeRecipient::address).toList());
        }
        return ExitCodes.OK;
    }

    private int verify(RelayConfig config, PrintWriter out) {
        try {
            return new AddressCheck(config, out).verify(request(), Clock.systemUTC());
        } catch (SubmissionRefused refused) {
            throw new CommandFailure(refused.exitCode(), refused.getMessage());
        }
    }

    private SendmailRequest request() {
        String name = fullName != null ? fullName : System.getenv("NAME");
        return new SendmailRequest(recipients, fromHeader, Optional.ofNullable(sender), Optional.ofNullable(name),
                notifyOn(), dsnReturn(), envelopeId(), user().name());
    }

    private Set<EnvelopeRecipient.Notify> notifyOn() {
        if (notify == null) {
            return Set.of();
        }
        Set<EnvelopeRecipient.Notify> set = EnumSet.noneOf(EnvelopeRecipient.Notify.class);
        for (String word : notify.split(",")) {
            try {
                set.add(EnvelopeRecipient.Notify.valueOf(word.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ExitCodes.USAGE, "-N takes never, or success, failure and delay separated by commas; not '" + notify + "'");
            }
        }
        if (set.contains(EnvelopeRecipient.Notify.NEVER) && set.size() > 1) {
            throw new CommandFailure(ExitCodes.USAGE, "-N never cannot be combined with other notifications (RFC 3461 4.1)");
        }
        return set;
    }

    private Optional<Envelope.DsnReturn> dsnReturn() {
        if (dsnReturn == null) {
            return Optional.empty();
        }
        return switch (dsnReturn.toLowerCase(Locale.ROOT)) {
            case "full" -> Optional.of(Envelope.DsnReturn.FULL);
            case "hdrs" -> Optional.of(Envelope.DsnReturn.HDRS);
            default -> throw new CommandFailure(ExitCodes.USAGE, "-R takes full or hdrs, not '" + dsnReturn + "'");
        };
    }

    private Optional<String> envelopeId() {
        if (envelopeId == null) {
            return Optional.empty();
        }
        // RFC 3461 4.4: printable US-ASCII, at most 100 characters
        if (envelopeId.length() > 100 || !envelopeId.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new CommandFailure(ExitCodes.USAGE, "-V takes up to 100 printable ASCII characters");
        }
        return Optional.of(envelopeId);
    }

    private RelayConfig config() {
        return ConfigLoader.load(configPath(), List.of()).config();
    }

    private Path configPath() {
        if (configFile != null) {
            return configFile;
        }
        String fromEnvironment = System.getenv("MTA_CONFIG");
        return Path.of(fromEnvironment == null || fromEnvironment.isBlank() ? "conf/mta.conf" : fromEnvironment);
    }

    private String[] queueArguments(String command) {
        return new String[] {"queue", command, "-c", configPath().toString()};
    }

    /**
     * Writes submissions into the mail drop of the configured data directory: directly where this
     * user may write it (root, the relay's user, a source-tree relay), else through the
     * set-group-id helper, as Postfix's sendmail goes through postdrop.
     */
    static StdioSmtpSession.Drop dropper(RelayConfig config) {
        return submission -> {
            DropEnvelope envelope = new DropEnvelope(submission.sender(), submission.recipients(), submission.bodyType(),
                    submission.smtpUtf8(), submission.dsnReturn(), submission.dsnEnvelopeId(), user());
            try {
                return mailDrop(config).drop(envelope, new ByteArrayInputStream(submission.content()));
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        };
    }

    private static MailDrop mailDrop(RelayConfig config) throws IOException {
        Path ready = config.dataDirectory().resolve(DropDirectory.NAME).resolve("new");
        Optional<Path> helper = config.sendmail().postdrop().filter(Files::isExecutable);
        // Writing directly also needs to read new/ (to sync it after the rename); a member of the
        // drop's group may write but not read it (mode 1730), and goes through the helper too.
        if (!(Files.isWritable(ready) && Files.isReadable(ready)) && helper.isPresent()) {
            return new PostdropHandover(helper.get());
        }
        return new MailDropWriter(DropDirectory.inDataDirectory(config.dataDirectory()), Clock.systemUTC());
    }

    /** The local user who runs the command, as the operating system knows them. */
    static DropEnvelope.Submitter user() {
        long uid = -1;
        try {
            uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // not Linux: the name alone
        }
        return new DropEnvelope.Submitter(System.getProperty("user.name", "unknown"), uid);
    }
}
