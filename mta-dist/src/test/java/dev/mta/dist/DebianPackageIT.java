package dev.mta.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.dns.TestDnsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb as dpkg sees it: control fields, maintainer scripts, conffiles, file owners and modes,
 * and the relay run from the files it installs (extracted under a scratch root).
 */
class DebianPackageIT {
    @TempDir
    static Path root;

    @TempDir
    static Path control;

    @BeforeAll
    static void extract() {
        Distribution.extractDebianPackage(root);
        Command.run(List.of("dpkg-deb", "-e", Distribution.debianPackage().toString(), control.toString()))
                .successfulOutput();
    }

    private static String field(String name) {
        return Command.run(List.of("dpkg-deb", "-f", Distribution.debianPackage().toString(), name))
                .successfulOutput().strip();
    }

    @Test
    void isThePackageMtaForTheBuildMachinesArchitecture() {
        assertThat(field("Package")).isEqualTo("mta");
        // It ships a compiled program (the mail drop helper): Architecture "all" would be a lie.
        assertThat(field("Architecture")).isEqualTo(Distribution.debianArchitecture());
        assertThat(Distribution.debianPackage().getFileName().toString())
                .endsWith("_" + Distribution.debianArchitecture() + ".deb");
        assertThat(field("Section")).isEqualTo("mail");
        // A -SNAPSHOT build sorts before the release it leads to (Debian policy 5.6.12: "~"), and
        // after the development builds before it (a UTC time stamp).
        String version = Distribution.version();
        if (version.endsWith("-SNAPSHOT")) {
            assertThat(field("Version")).matches(java.util.regex.Pattern.quote(version.replace("-SNAPSHOT", "~"))
                    + "20\\d{12}");
        } else {
            assertThat(field("Version")).isEqualTo(version);
        }
    }

    @Test
    void dependsOnAJava21RuntimeAdduserAndTheCLibraryOfTheHelper() {
        // procps: /bin/kill, which the unit's ExecReload sends SIGHUP with.
        // Debian's default-jre-headless is 2:1.21 from trixie on; every openjdk-N-jre-headless with
        // N >= 21 (and Temurin's packages) provide java21-runtime-headless.
        assertThat(field("Depends"))
                .isEqualTo("adduser, procps, libc6 (>= 2.34), default-jre-headless (>= 2:1.21) | java21-runtime-headless");
    }

    @Test
    void theHelperNeedsNoNewerCLibraryThanTheDependencySays() {
        // The symbol versions the helper links against (objdump, from binutils, comes with gcc):
        // the newest must be covered by "libc6 (>= 2.34)", else a build on a newer Debian would
        // install on an older one and fail at run time.
        String symbols = Command.run(List.of("objdump", "-T", root.resolve("usr/lib/mta/mta-postdrop").toString()))
                .successfulOutput();
        List<Integer> minors = java.util.regex.Pattern.compile("GLIBC_2\\.(\\d+)").matcher(symbols).results()
                .map(m -> Integer.parseInt(m.group(1))).toList();
        assertThat(minors).isNotEmpty().allSatisfy(minor -> assertThat(minor).isLessThanOrEqualTo(34));
    }

    @Test
    void replacesAnyOtherMailTransportAgent() {
        // Debian policy 7.6.2: an MTA that ships /usr/sbin/sendmail provides, conflicts with and
        // replaces mail-transport-agent, so installing it removes Postfix or Exim.
        assertThat(field("Provides")).isEqualTo("mail-transport-agent");
        assertThat(field("Conflicts")).isEqualTo("mail-transport-agent");
        assertThat(field("Replaces")).isEqualTo("mail-transport-agent");
    }

    @Test
    void infoListsTheExecutableMaintainerScripts() {
        String info = Command.run(List.of("dpkg-deb", "--info", Distribution.debianPackage().toString()))
                .successfulOutput();
        // dpkg-deb marks executable control members with a "*".
        assertThat(info).containsPattern("\\*\\s+postinst\\s+#!/bin/sh")
                .containsPattern("\\*\\s+prerm\\s+#!/bin/sh")
                .containsPattern("\\*\\s+postrm\\s+#!/bin/sh")
                .containsPattern("\\bconffiles\\b");
    }

    @Test
    void maintainerScriptsAreShellThatStopsAtTheFirstError() throws IOException {
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = control.resolve(script);
            Command.run(List.of("sh", "-n", file.toString())).successfulOutput();
            assertThat(Files.readAllLines(file)).as(script).contains("set -e");
        }
    }

    @Test
    void postinstCreatesTheUserAndGroupOnlyWhenMissing() throws IOException {
        String postinst = Files.readString(control.resolve("postinst"));
        assertThat(postinst)
                .contains("if ! getent passwd mta >/dev/null; then")
                .contains("adduser --system --group --home /var/lib/mta --no-create-home mta")
                .contains("if ! getent group mtadrop >/dev/null; then")
                .contains("if [ ! -d \"$dir\" ]; then")
                .contains("\"mta mtadrop 1730 /var/lib/mta/maildrop/new\"")
                .contains("if override=$(dpkg-statoverride --list \"$4\"); then")
                .contains("[ -d /run/systemd/system ]");
        assertThat(Files.readString(control.resolve("postrm")))
                .contains("if [ \"$1\" = purge ]; then")
                .contains("rm -rf /var/lib/mta")
                .doesNotContain("deluser");
    }

    @Test
    void conffilesAreTheConfigurationUnderEtc() throws IOException {
        assertThat(Files.readAllLines(control.resolve("conffiles")))
                .containsExactlyInAnyOrder("/etc/mta/mta.conf", "/etc/mta/trust-anchors.txt", "/etc/default/mta");
    }

    @Test
    void contentsHaveRootOwnersAndTheModesTheirUseNeeds() {
        String contents = Command.run(List.of("dpkg-deb", "--contents", Distribution.debianPackage().toString()))
                .successfulOutput();
        assertThat(contents)
                .containsPattern("(?m)^-rwxr-xr-x root/root .* \\./usr/sbin/sendmail$")
                .containsPattern("(?m)^-rwxr-xr-x root/root .* \\./usr/bin/mailq$")
                .containsPattern("(?m)^-rwxr-xr-x root/root .* \\./usr/bin/newaliases$")
                .containsPattern("(?m)^-rwxr-xr-x root/root .* \\./usr/share/mta/bin/mta$")
                .containsPattern("(?m)^-rw-r--r-- root/root .* \\./usr/share/mta/lib/mta-server\\.jar$")
                .containsPattern("(?m)^-rw-r--r-- root/root .* \\./usr/share/mta/lib/java-lookup\\.sh$")
                .containsPattern("(?m)^-rw-r--r-- root/root .* \\./usr/lib/systemd/system/mta\\.service$")
                .containsPattern("(?m)^-rw-r--r-- root/root .* \\./etc/mta/mta\\.conf$")
                .containsPattern("(?m)^-rw-r--r-- root/root .* \\./etc/mta/trust-anchors\\.txt$")
                .containsPattern("(?m)^-rw-r--r-- root/root .* \\./etc/default/mta$")
                .containsPattern("(?m)^l\\S+ root/root .* \\./usr/lib/sendmail -> \\.\\./sbin/sendmail$")
                // Not yet set-group-ID: the group mtadrop does not exist when dpkg first unpacks
                // it; postinst makes it root:mtadrop 2755.
                .containsPattern("(?m)^-rwxr-xr-x root/root .* \\./usr/lib/mta/mta-postdrop$")
                // The spool is made by postinst (owned by the mta user, which dpkg cannot name).
                .doesNotContain("./var/lib/mta");
    }

    @Test
    void shipsTheMailDropHelperAsAnExecutableOfThisMachine() throws IOException {
        byte[] program = Files.readAllBytes(root.resolve("usr/lib/mta/mta-postdrop"));
        // ELF magic, and readelf's view of it: a position-independent executable with full RELRO
        // (the hardening flags of the build).
        assertThat(java.util.Arrays.copyOf(program, 4)).containsExactly(0x7f, 'E', 'L', 'F');
        String header = Command.run(List.of("readelf", "-h", "-d", root.resolve("usr/lib/mta/mta-postdrop").toString()))
                .successfulOutput();
        assertThat(header).containsPattern("Type:\\s+DYN").contains("BIND_NOW").containsPattern("FLAGS_1.*PIE");
        // -fstack-protector-strong and _FORTIFY_SOURCE: the checking variants of the libc calls.
        String symbols = Command.run(List.of("objdump", "-T", root.resolve("usr/lib/mta/mta-postdrop").toString()))
                .successfulOutput();
        assertThat(symbols).contains("__stack_chk_fail", "__fprintf_chk");
        // And it runs here: with an argument it refuses before touching any mail drop.
        Command.Result usage = Command.run(List.of(root.resolve("usr/lib/mta/mta-postdrop").toString(), "-t"));
        assertThat(usage.exitCode()).as(usage.output()).isEqualTo(64);
        assertThat(usage.output()).startsWith("mta-postdrop: usage:");
    }

    @Test
    void shipsEveryRuntimeLibraryOfTheServer() throws IOException {
        try (var jars = Files.list(root.resolve("usr/share/mta/lib"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertThat(names).contains("mta-server.jar", "mta-queue-" + Distribution.version() + ".jar",
                    "mta-delivery-" + Distribution.version() + ".jar", "mta-security-" + Distribution.version() + ".jar")
                    .anyMatch(n -> n.startsWith("netty-handler-"))
                    .anyMatch(n -> n.startsWith("h2-"))
                    .noneMatch(n -> n.startsWith("mta-test-support"))
                    .noneMatch(n -> n.startsWith("junit"));
        }
    }

    @Test
    void shippedConfigurationPointsAtTheInstalledLayout() throws IOException {
        List<String> installed = Files.readAllLines(root.resolve("etc/mta/mta.conf"));
        List<String> repository = Files.readAllLines(Distribution.repositoryConfDirectory().resolve("mta.conf"));
        assertThat(installed).contains("data-directory = \"/var/lib/mta\"")
                .contains("  trust-anchors = \"/etc/mta/trust-anchors.txt\"");
        // Made from conf/mta.conf at build time: only the two paths and the three ports differ.
        assertThat(installed).hasSameSizeAs(repository);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < installed.size(); i++) {
            if (!installed.get(i).equals(repository.get(i))) {
                changed.add(repository.get(i).strip());
            }
        }
        assertThat(changed).containsExactly("data-directory = \"data\"", "port = 2525", "port = 5587", "port = 5465",
                "trust-anchors = \"conf/trust-anchors.txt\"");
        assertThat(installed).contains("      port = 25", "      port = 587", "      port = 465");
        assertThat(root.resolve("etc/mta/trust-anchors.txt"))
                .hasSameTextualContentAs(Distribution.repositoryConfDirectory().resolve("trust-anchors.txt"));
    }

    @Test
    void installedLauncherChecksTheShippedConfiguration(@TempDir Path spool) {
        // The shipped file with its two absolute paths moved under the scratch root.
        String output = Command.run(List.of(root.resolve("usr/share/mta/bin/mta").toString(), "check-config",
                "-c", root.resolve("etc/mta/mta.conf").toString(),
                "-o", "data-directory=" + spool,
                "-o", "delivery.trust-anchors=" + root.resolve("etc/mta/trust-anchors.txt")),
                spool, Map.of()).successfulOutput();
        assertThat(output).contains("data-directory = " + spool)
                .contains("delivery.dnssec = validate    # " + root.resolve("etc/mta/mta.conf"));
    }

    @Test
    void installedSendmailVerifiesAddressesWithTheShippedConfiguration(@TempDir Path spool) throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.zone("example.net").mx("example.net", 10, "mx.example.net").a("mx.example.net", "192.0.2.25");
            // The installed /etc/mta/mta.conf, with the lab's DNS and a scratch data directory.
            Path conf = Files.writeString(spool.resolve("lab.conf"), String.join("\n",
                    "include file(\"" + root.resolve("etc/mta/mta.conf") + "\")",
                    "hostname = relay.test",
                    "data-directory = \"" + spool.resolve("data") + "\"",
                    "delivery.trust-anchors = \"" + root.resolve("etc/mta/trust-anchors.txt") + "\"",
                    "delivery.dnssec = off",
                    "delivery.dns-servers = [\"127.0.0.1:" + dns.port() + "\"]",
                    "sendmail.origin-domain = example.net",
                    "sendmail.rewrite { root = \"ops@example.net\" }", ""));
            String output = Command.run(List.of(root.resolve("usr/share/mta/bin/mta").toString(), "sendmail",
                    "-C", conf.toString(), "-bv", "root", "bob@example.net"), spool, Map.of()).successfulOutput();
            assertThat(output).contains("ops@example.net: deliverable via mx.example.net:25 (MX 10)")
                    .contains("bob@example.net: deliverable via mx.example.net:25 (MX 10)");
        }
    }

    @Test
    void installedLauncherReadsEtcMtaByDefault(@TempDir Path workingDirectory) {
        // No conf/ beside the installed launcher: its default is /etc/mta/mta.conf. This host has no
        // relay installed, so the file is missing and the error names it.
        Path etcConfig = Path.of("/etc/mta/mta.conf");
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(etcConfig), "mta is installed on this host");
        Command.Result result = Command.run(List.of(root.resolve("usr/share/mta/bin/mta").toString(), "check-config"),
                workingDirectory, Map.of("MTA_CONFIG", ""));
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("/etc/mta/mta.conf");
    }

    @Test
    void mailWrappersRunTheInstalledLauncher() throws IOException {
        assertThat(Files.readAllLines(root.resolve("usr/sbin/sendmail")))
                .contains("exec /usr/share/mta/bin/mta sendmail \"$@\"");
        assertThat(Files.readAllLines(root.resolve("usr/bin/mailq")))
                .contains("exec /usr/share/mta/bin/mta queue list \"$@\"");
        for (String wrapper : List.of("usr/sbin/sendmail", "usr/bin/mailq", "usr/bin/newaliases")) {
            Command.run(List.of("sh", "-n", root.resolve(wrapper).toString())).successfulOutput();
        }
    }

    @Test
    void newaliasesHasNothingToDoAndSucceeds() {
        assertThat(Command.run(List.of(root.resolve("usr/bin/newaliases").toString())).successfulOutput())
                .isEqualTo("newaliases: mta has no aliases database; nothing to do\n");
    }

    @Test
    void defaultsFileSetsTheJvmOptions() throws IOException {
        assertThat(Files.readAllLines(root.resolve("etc/default/mta"))).anyMatch(l -> l.startsWith("MTA_JAVA_OPTS=\"-Xmx512m"));
    }

    @Test
    void dpkgUnpacksItIntoAnotherRootAndRegistersTheConffiles(@TempDir Path system) throws IOException {
        // A private dpkg database under a scratch root: nothing of this host's dpkg is touched, and
        // --unpack runs no maintainer script (the package has no preinst).
        Path admin = system.resolve("var/lib/dpkg");
        Files.createDirectories(admin.resolve("info"));
        Files.createDirectories(admin.resolve("updates"));
        Files.createFile(admin.resolve("status"));
        Command.run(List.of("dpkg", "--root=" + system, "--force-not-root", "--force-depends",
                "--unpack", Distribution.debianPackage().toString())).successfulOutput();
        String status = Command.run(List.of("dpkg-query", "--admindir=" + admin, "-W",
                "-f=${Status}|${Provides}\n${Conffiles}\n", "mta")).successfulOutput();
        // Until postinst has run ("configure"), dpkg keeps each new conffile beside its place.
        assertThat(status).startsWith("install ok unpacked|mail-transport-agent")
                .contains(" /etc/mta/mta.conf newconffile\n")
                .contains(" /etc/mta/trust-anchors.txt newconffile\n")
                .contains(" /etc/default/mta newconffile\n");
        assertThat(system.resolve("etc/mta/mta.conf.dpkg-new")).isRegularFile();
        assertThat(system.resolve("usr/share/mta/lib/mta-server.jar")).isRegularFile();
        assertThat(system.resolve("usr/lib/sendmail")).isSymbolicLink();
    }
}
