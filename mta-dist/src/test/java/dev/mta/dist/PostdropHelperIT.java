package dev.mta.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * mta-postdrop, the set-group-ID mail drop helper, compiled from the packaged source with the
 * build's flags but a scratch mail drop (-DMAILDROP), and run for real: as root, and as user
 * nobody through the set-group-ID bit, against directories with the modes postinst gives the
 * installed mail drop (group mail, gid 8, standing in for mtadrop).
 *
 * Needs root (to give files away to root:mail and run programs as nobody): ./test runs as root or
 * through sudo. The tree lives outside the per-test directories, whose parents nobody may not
 * enter, and on a file system mounted without nosuid.
 */
class PostdropHelperIT {
    private static final int NOBODY = 65534;
    private static final int MAIL_GROUP = 8;
    private static final String NAME = "\\d{13}\\.\\d+\\.[0-9a-f]{16}";

    private static Path base;
    private static Path maildrop;
    private static Path helper;
    private static Path smallHelper;

    @BeforeAll
    static void compile() throws IOException {
        String uid = Command.run(List.of("id", "-u")).successfulOutput().strip();
        assertThat(uid).as("the package tests need root: they give files to root:mail and run the helper"
                + " as nobody (./test runs them as root or through sudo)").isEqualTo("0");
        base = Files.createTempDirectory(suidCapableDirectory(), "mta-postdrop-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        maildrop = base.resolve("maildrop");
        helper = compile("mta-postdrop");
        smallHelper = compile("mta-postdrop-small", "-DMAX_DROP_BYTES=64");
        // As postinst leaves the installed one (with group mail for mtadrop).
        for (Path program : List.of(helper, smallHelper)) {
            Command.run(List.of("chown", "root:mail", program.toString())).successfulOutput();
            Command.run(List.of("chmod", "2755", program.toString())).successfulOutput();
        }
    }

    /** The first of /var/tmp and /tmp where a set-group-ID bit counts (Debian 13's /tmp is nosuid). */
    private static Path suidCapableDirectory() {
        List<String> seen = new ArrayList<>();
        for (String candidate : List.of("/var/tmp", "/tmp")) {
            String options = Command.run(List.of("findmnt", "-n", "-o", "OPTIONS", "-T", candidate)).successfulOutput();
            if (!options.contains("nosuid")) {
                return Path.of(candidate);
            }
            seen.add(candidate + ": " + options.strip());
        }
        throw new AssertionError("no directory mounted without nosuid to run a set-group-ID program from: " + seen);
    }

    private static Path compile(String name, String... definitions) {
        Path program = base.resolve(name);
        List<String> command = new ArrayList<>(List.of("cc"));
        command.addAll(Distribution.postdropCompilerFlags());
        command.add("-DMAILDROP=\"" + maildrop + "\"");
        command.addAll(List.of(definitions));
        command.addAll(List.of("-o", program.toString(), Distribution.postdropSource().toString()));
        Command.run(command).successfulOutput();
        return program;
    }

    @AfterAll
    static void removeTree() throws IOException {
        if (base != null) {
            deleteRecursively(base);
        }
    }

    /** A fresh mail drop as postinst makes it: maildrop 0710, tmp and new 1730, owner root, group mail. */
    @BeforeEach
    void freshMaildrop() throws IOException {
        deleteRecursively(maildrop);
        for (Path dir : List.of(maildrop, maildrop.resolve("tmp"), maildrop.resolve("new"))) {
            Files.createDirectory(dir);
            Command.run(List.of("chown", "root:mail", dir.toString())).successfulOutput();
        }
        Command.run(List.of("chmod", "0710", maildrop.toString())).successfulOutput();
        Command.run(List.of("chmod", "1730", maildrop.resolve("tmp").toString(), maildrop.resolve("new").toString()))
                .successfulOutput();
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static List<String> asNobody(String... command) {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        full.addAll(List.of(command));
        return full;
    }

    private static List<Path> files(String directory) throws IOException {
        try (Stream<Path> files = Files.list(maildrop.resolve(directory))) {
            return files.toList();
        }
    }

    /** A drop file with every byte value in its body: the helper must copy, not interpret. */
    private static byte[] dropFile() {
        ByteArrayOutputStream drop = new ByteArrayOutputStream();
        drop.writeBytes("MTA-DROP 1\nsender: ops@example.net\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 256; i++) {
            drop.write(i);
        }
        return drop.toByteArray();
    }

    @Test
    void dropsTheInputUnchangedIntoNewUnderAFreshName() throws IOException {
        byte[] drop = dropFile();
        long before = System.currentTimeMillis();
        String name = Command.run(List.of(helper.toString()), drop).successfulOutput().strip();
        long after = System.currentTimeMillis();

        assertThat(name).matches(NAME);
        // Name order is age order: the first field is the time of the drop in milliseconds.
        assertThat(Long.parseLong(name.substring(0, 13))).isBetween(before, after);
        assertThat(files("new")).containsExactly(maildrop.resolve("new").resolve(name));
        assertThat(Files.readAllBytes(maildrop.resolve("new").resolve(name))).isEqualTo(drop);
        assertThat(files("tmp")).isEmpty();
    }

    @Test
    void eachDropHasItsOwnName() throws IOException {
        String first = Command.run(List.of(helper.toString()), dropFile()).successfulOutput().strip();
        String second = Command.run(List.of(helper.toString()), dropFile()).successfulOutput().strip();
        assertThat(first).isNotEqualTo(second);
        assertThat(files("new")).hasSize(2);
    }

    @Test
    void refusesInputThatIsNoDropFileAndLeavesNothing() throws IOException {
        for (String input : List.of("", "MTA-DROP 1", "MTA-DROP 2\nx\n", "From: a@example.net\n\nhello\n")) {
            Command.Result result = Command.run(List.of(helper.toString()), input.getBytes(StandardCharsets.US_ASCII));
            assertThat(result.exitCode()).as("%s: %s", input, result.output()).isEqualTo(65);
            assertThat(result.output()).startsWith("mta-postdrop: standard input is not a drop file");
        }
        assertThat(files("tmp")).isEmpty();
        assertThat(files("new")).isEmpty();
    }

    @Test
    void refusesAnyArgument() throws IOException {
        for (List<String> arguments : List.of(List.of("-t"), List.of(maildrop.resolve("new").toString()), List.of(""))) {
            List<String> command = new ArrayList<>(List.of(helper.toString()));
            command.addAll(arguments);
            Command.Result result = Command.run(command, dropFile());
            assertThat(result.exitCode()).as("%s: %s", arguments, result.output()).isEqualTo(64);
        }
        assertThat(files("new")).isEmpty();
    }

    @Test
    void aMissingMaildropIsATemporaryFailure() throws IOException {
        deleteRecursively(maildrop);
        Command.Result result = Command.run(List.of(helper.toString()), dropFile());
        assertThat(result.exitCode()).as(result.output()).isEqualTo(75);
        assertThat(result.output()).isEqualTo("mta-postdrop: " + maildrop.resolve("tmp") + ": No such file or directory\n");
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedAndRemoved() throws IOException {
        // Compiled with a limit of 64 bytes: the header and 53 bytes pass, one more does not.
        byte[] fits = ("MTA-DROP 1\n" + "x".repeat(53)).getBytes(StandardCharsets.US_ASCII);
        assertThat(Command.run(List.of(smallHelper.toString()), fits).exitCode()).isZero();
        byte[] tooLarge = ("MTA-DROP 1\n" + "x".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
        Command.Result result = Command.run(List.of(smallHelper.toString()), tooLarge);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(75);
        assertThat(result.output()).isEqualTo("mta-postdrop: the message is larger than 64 bytes\n");
        assertThat(files("tmp")).isEmpty();
        assertThat(files("new")).hasSize(1);
    }

    @Test
    void anyUserDropsThroughTheSetGroupIdBitAndOwnsTheFile() throws IOException {
        Command.Result result = Command.run(asNobody(helper.toString()), dropFile());
        String name = result.successfulOutput().strip();
        assertThat(name).matches(NAME);

        Path dropped = maildrop.resolve("new").resolve(name);
        // The owner is the submitter the relay records; the group lets the relay read it.
        assertThat(Files.getAttribute(dropped, "unix:uid")).isEqualTo(NOBODY);
        assertThat(Files.getAttribute(dropped, "unix:gid")).isEqualTo(MAIL_GROUP);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dropped))).isEqualTo("rw-r-----");
        assertThat(Files.readAllBytes(dropped)).isEqualTo(dropFile());
        assertThat(files("tmp")).isEmpty();
    }

    @Test
    void aUsersSendmailGoesThroughTheHelperAndTheDropFileIsTheirs() throws IOException {
        // The packaged launcher, unpacked where nobody may run it, sending as nobody would from cron.
        Path installed = base.resolve("installed");
        Files.createDirectories(installed);
        Command.run(List.of("tar", "-xzf", Distribution.tarball().toString(), "-C", installed.toString(),
                "--strip-components=1")).successfulOutput();
        Path conf = Files.writeString(base.resolve("user.conf"), String.join("\n",
                "include file(\"" + installed.resolve("conf/mta.conf") + "\")",
                "hostname = relay.test",
                "data-directory = \"" + base + "\"",
                "sendmail.origin-domain = example.org",
                "sendmail.postdrop = \"" + helper + "\"", ""));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        Command.Result result = Command.run(asNobody(installed.resolve("bin/mta").toString(), "sendmail", "-C", conf.toString(),
                        "-v", "ops@example.net"),
                "Subject: from a cron job\n\nnightly run done\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(result.successfulOutput()).contains("queued as ");

        List<Path> dropped = files("new");
        assertThat(dropped).hasSize(1);
        assertThat(Files.getAttribute(dropped.getFirst(), "unix:uid")).isEqualTo(NOBODY);
        String text = Files.readString(dropped.getFirst(), StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("MTA-DROP 1\n").contains("rcpt: <ops@example.net>").contains("user: nobody\n")
                .contains("Subject: from a cron job\r\n").contains("\r\nnightly run done\r\n");
        assertThat(files("tmp")).isEmpty();
    }

    @Test
    void withoutTheHelperAUserCanNeitherListNorWriteNorReadTheMailDrop() throws IOException {
        String rootsMail = Command.run(List.of(helper.toString()), dropFile()).successfulOutput().strip();
        Path newDirectory = maildrop.resolve("new");

        assertThat(Command.run(asNobody("ls", newDirectory.toString())).exitCode()).isNotZero();
        assertThat(Command.run(asNobody("ls", maildrop.resolve("tmp").toString())).exitCode()).isNotZero();
        assertThat(Command.run(asNobody("ls", maildrop.toString())).exitCode()).isNotZero();
        assertThat(Command.run(asNobody("cat", newDirectory.resolve(rootsMail).toString())).exitCode()).isNotZero();
        Path forged = newDirectory.resolve("0000000000000.1.0000000000000000");
        assertThat(Command.run(asNobody("sh", "-c", "printf 'MTA-DROP 1\\n' > " + forged)).exitCode()).isNotZero();
        assertThat(forged).doesNotExist();
        // Nor remove another's message: the sticky bit (and no write right on new/ at all).
        assertThat(Command.run(asNobody("rm", "-f", newDirectory.resolve(rootsMail).toString())).exitCode()).isNotZero();
        assertThat(newDirectory.resolve(rootsMail)).exists();
    }

    @Test
    void evenTheHelpersGroupCannotListTheMailDrop() throws IOException {
        String rootsMail = Command.run(List.of(helper.toString()), dropFile()).successfulOutput().strip();
        // Even holding the helper's group for a moment, nobody cannot list new/ (no read right):
        // it would need the name, which is random. The file itself is root's and group mail's,
        // so only a process of group mail may read it; nobody is not one outside the helper.
        Command.Result listing = Command.run(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + MAIL_GROUP,
                "--clear-groups", "ls", maildrop.resolve("new").toString()));
        assertThat(listing.exitCode()).as(listing.output()).isNotZero();
        assertThat(listing.output()).doesNotContain(rootsMail);
    }
}
