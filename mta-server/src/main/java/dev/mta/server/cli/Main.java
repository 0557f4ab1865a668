package dev.mta.server.cli;

import dev.mta.server.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mta} command. */
@Command(name = "mta",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Outbound mail relay: accepts mail over SMTP, queues it durably, delivers it.",
        subcommands = {
            ServeCommand.class,
            ReloadCommand.class,
            CheckConfigCommand.class,
            QueueCommand.class,
            PolicyCommand.class,
            UserCommand.class,
            SendmailCommand.class,
            LogCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    public static void main(String[] args) {
        // TLS 1.2 renegotiation started by a client costs the server a full handshake each time,
        // for nothing a mail client needs (CVE-2011-1473); TLS 1.3 has none. The JDK reads this
        // once, at its first server handshake, so it is set before anything else runs.
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line and returns its sysexits code (for tests, without System.exit). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, System.in, out, err);
    }

    /** The same, with {@code in} as standard input (sendmail reads the message from it). */
    public static int run(String[] args, java.io.InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = CommandLine.defaultFactory().create(type);
                if (made instanceof SendmailCommand sendmail) {
                    sendmail.input = in;
                }
                return made;
            }
        });
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            CommandLine failed = exception.getCommandLine();
            failed.getErr().println("mta: " + exception.getMessage());
            failed.usage(failed.getErr());
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, cl, parseResult) -> {
            if (exception instanceof ConfigException) {
                cl.getErr().println("mta: configuration error: " + exception.getMessage());
                return ExitCodes.CONFIG;
            }
            if (exception instanceof CommandFailure failure) {
                cl.getErr().println("mta: " + failure.getMessage());
                return failure.exitCode();
            }
            cl.getErr().println("mta: " + exception);
            exception.printStackTrace(cl.getErr());
            return ExitCodes.SOFTWARE;
        });
        return commandLine.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mta " + (version == null ? "(development build)" : version)};
        }
    }
}
