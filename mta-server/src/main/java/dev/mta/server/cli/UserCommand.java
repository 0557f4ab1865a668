package dev.mta.server.cli;

import dev.mta.security.password.PasswordHasher;
import dev.mta.security.users.UsersFile;
import dev.mta.security.users.UsersFileException;
import dev.mta.server.config.RelayConfig;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mta user add NAME}: writes an Argon2id hash to the users file; the password is never stored. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage AUTH users.",
        subcommands = {UserCommand.Add.class})
final class UserCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say add NAME");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a user, or set a new password for one, in smtp.users-file (created if missing).")
    static final class Add implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordFromStdin;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            RelayConfig relay = config.load().config();
            Path file = relay.smtp().usersFile().orElseThrow(() -> new CommandFailure(ExitCodes.CONFIG,
                    "smtp.users-file is not set in " + config.configFile() + ": set it to the file that should hold the users"));
            UsersFile.nameProblem(name).ifPresent(problem -> {
                throw new CommandFailure(ExitCodes.USAGE, "bad user name '" + name + "': " + problem);
            });
            char[] password = readPassword();
            try {
                if (password.length == 0) {
                    throw new CommandFailure(ExitCodes.DATA_ERROR, "empty password");
                }
                String hash = new PasswordHasher().hash(password);
                UsersFile users;
                try {
                    users = UsersFile.loadOrEmpty(file);
                } catch (UsersFileException e) {
                    throw new CommandFailure(ExitCodes.DATA_ERROR, e.getMessage());
                }
                boolean existed = users.users().containsKey(name);
                users.withUser(name, hash).write(file);
                spec.commandLine().getOut().println((existed ? "password changed for " : "added user ") + name + " in " + file);
                return ExitCodes.OK;
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private char[] readPassword() throws IOException {
            if (passwordFromStdin) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line = in.readLine();
                return line == null ? new char[0] : line.toCharArray();
            }
            Console console = System.console();
            if (console == null) {
                throw new CommandFailure(ExitCodes.USAGE, "no terminal to ask for the password: use --password-stdin");
            }
            char[] first = console.readPassword("Password for %s: ", name);
            char[] second = console.readPassword("Again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new CommandFailure(ExitCodes.DATA_ERROR, "the passwords do not match");
            }
            Arrays.fill(second, '\0');
            return first;
        }
    }
}
