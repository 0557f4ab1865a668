package dev.mta.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged postinst, prerm and postrm run by /bin/sh as dpkg runs them, with a PATH of
 * recording stand-ins only: every program they start (adduser, getent, install, rm, systemctl,
 * deb-systemd-helper...) is a stub that logs its arguments, so nothing of this host changes, and
 * a program the scripts should not need fails as "not found". The two facts they read from the
 * file system itself (does /var/lib/mta exist, is systemd running) are this host's.
 * dpkg-statoverride knows one override when STUB_OVERRIDE is "user group mode path".
 */
class MaintainerScriptsIT {
    private static final List<String> STUBS = List.of("adduser", "addgroup", "getent", "install", "chown", "chmod",
            "dpkg-statoverride", "rm", "systemctl", "deb-systemd-helper", "deb-systemd-invoke");
    private static final boolean SYSTEMD_RUNNING = Files.isDirectory(Path.of("/run/systemd/system"));
    private static final boolean SPOOL_EXISTS = Files.isDirectory(Path.of("/var/lib/mta"));

    @TempDir
    static Path control;

    @TempDir
    Path stubs;

    private Path log;

    @BeforeAll
    static void extractControl() {
        Command.run(List.of("dpkg-deb", "-e", Distribution.debianPackage().toString(), control.toString()))
                .successfulOutput();
    }

    @BeforeEach
    void writeStubs() throws IOException {
        log = stubs.resolve("calls.log");
        Files.createFile(log);
        for (String name : STUBS) {
            Path stub = stubs.resolve(name);
            // getent answers from STUB_PASSWD / STUB_GROUP (exit 2 is getent's "no such entry");
            // dpkg-statoverride --list prints a matching STUB_OVERRIDE, else exits 1 (no override).
            Files.writeString(stub, """
                    #!/bin/sh
                    echo "%s $*" >> "$STUB_LOG"
                    case "%s $1" in
                      "getent passwd") exit "${STUB_PASSWD:-2}" ;;
                      "getent group") exit "${STUB_GROUP:-2}" ;;
                      "dpkg-statoverride --list")
                        case "$STUB_OVERRIDE" in *" $2") echo "$STUB_OVERRIDE"; exit 0 ;; esac
                        exit 1 ;;
                    esac
                    exit 0
                    """.formatted(name, name));
            assertThat(stub.toFile().setExecutable(true)).isTrue();
        }
    }

    private List<String> run(String script, Map<String, String> stubAnswers, String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("/bin/sh", control.resolve(script).toString()));
        command.addAll(List.of(arguments));
        Map<String, String> environment = new java.util.HashMap<>(stubAnswers);
        environment.put("PATH", stubs.toString());
        environment.put("STUB_LOG", log.toString());
        Command.run(command, stubs, environment).successfulOutput();
        return Files.readAllLines(log);
    }

    @Test
    void firstConfigureAddsTheSystemUserWithItsGroup() throws IOException {
        List<String> calls = run("postinst", Map.of(), "configure");
        assertThat(calls).contains("adduser --system --group --home /var/lib/mta --no-create-home mta");
        if (SPOOL_EXISTS) {
            assertThat(calls).noneMatch(c -> c.startsWith("install "));
        } else {
            // Created private; the owners and modes follow (the same on an upgrade).
            assertThat(calls).contains("install -d -m 0700 /var/lib/mta", "install -d -m 0700 /var/lib/mta/maildrop",
                    "install -d -m 0700 /var/lib/mta/maildrop/tmp", "install -d -m 0700 /var/lib/mta/maildrop/new",
                    "install -d -m 0700 /var/lib/mta/maildrop/corrupt");
        }
    }

    @Test
    void firstConfigureAddsTheMailDropGroupWithTheRelayInIt() throws IOException {
        List<String> calls = run("postinst", Map.of(), "configure");
        // The user first: "adduser mta mtadrop" needs both.
        assertThat(calls).containsSubsequence("adduser --system --group --home /var/lib/mta --no-create-home mta",
                "getent group mtadrop", "addgroup --system mtadrop", "adduser --quiet mta mtadrop");
    }

    @Test
    void upgradeKeepsTheGroupAndStillPutsTheRelayInIt() throws IOException {
        List<String> calls = run("postinst", Map.of("STUB_PASSWD", "0", "STUB_GROUP", "0"), "configure", "0.1.0");
        assertThat(calls).noneMatch(c -> c.startsWith("addgroup")).contains("adduser --quiet mta mtadrop");
    }

    @Test
    void configureGivesTheSpoolAndMailDropTheirOwnersAndModes() throws IOException {
        // On an upgrade too: the 0750 mta:mta layout of earlier versions kept the helper out.
        List<String> calls = run("postinst", Map.of("STUB_PASSWD", "0", "STUB_GROUP", "0"), "configure", "0.1.0");
        assertThat(calls).containsSubsequence(
                "chown mta:mtadrop /var/lib/mta", "chmod 0710 /var/lib/mta",
                "chown mta:mtadrop /var/lib/mta/maildrop", "chmod 0710 /var/lib/mta/maildrop",
                "chown mta:mtadrop /var/lib/mta/maildrop/tmp", "chmod 1730 /var/lib/mta/maildrop/tmp",
                "chown mta:mtadrop /var/lib/mta/maildrop/new", "chmod 1730 /var/lib/mta/maildrop/new",
                "chown mta:mta /var/lib/mta/maildrop/corrupt", "chmod 0700 /var/lib/mta/maildrop/corrupt");
    }

    @Test
    void configureMakesTheHelperSetGroupIdMtadrop() throws IOException {
        List<String> calls = run("postinst", Map.of("STUB_PASSWD", "0"), "configure");
        // chown before chmod: chown clears the set-group-ID bit.
        assertThat(calls).containsSubsequence("dpkg-statoverride --list /usr/lib/mta/mta-postdrop",
                "chown root:mtadrop /usr/lib/mta/mta-postdrop", "chmod 2755 /usr/lib/mta/mta-postdrop");
    }

    @Test
    void configureHonoursTheAdministratorsStatOverride() throws IOException {
        List<String> calls = run("postinst", Map.of("STUB_PASSWD", "0",
                "STUB_OVERRIDE", "root mail 2750 /usr/lib/mta/mta-postdrop"), "configure");
        assertThat(calls).contains("chown root:mail /usr/lib/mta/mta-postdrop", "chmod 2750 /usr/lib/mta/mta-postdrop")
                .doesNotContain("chmod 2755 /usr/lib/mta/mta-postdrop")
                // Only that path is overridden.
                .contains("chmod 1730 /var/lib/mta/maildrop/new");
    }

    @Test
    void configureKeepsAnExistingUser() throws IOException {
        List<String> calls = run("postinst", Map.of("STUB_PASSWD", "0"), "configure", "0.0.9");
        assertThat(calls).noneMatch(c -> c.startsWith("adduser --system"));
    }

    @Test
    void configureJoinsAGroupThatIsAlreadyThere() throws IOException {
        List<String> calls = run("postinst", Map.of("STUB_GROUP", "0"), "configure");
        assertThat(calls).contains("adduser --system --ingroup mta --home /var/lib/mta --no-create-home mta");
    }

    @Test
    void configureEnablesTheServiceAndStartsItOnlyUnderSystemd() throws IOException {
        List<String> calls = run("postinst", Map.of("STUB_PASSWD", "0"), "configure");
        assertThat(calls).contains("deb-systemd-helper unmask mta.service",
                "deb-systemd-helper --quiet was-enabled mta.service", "deb-systemd-helper enable mta.service");
        if (SYSTEMD_RUNNING) {
            assertThat(calls).contains("systemctl --system daemon-reload", "deb-systemd-invoke start mta.service");
        } else {
            assertThat(calls).noneMatch(c -> c.startsWith("systemctl") || c.startsWith("deb-systemd-invoke"));
        }
    }

    @Test
    void upgradeRestartsTheRunningRelayInsteadOfStoppingIt() throws IOException {
        assertThat(run("prerm", Map.of(), "upgrade", "0.2.0")).isEmpty();
        List<String> calls = run("postinst", Map.of("STUB_PASSWD", "0"), "configure", "0.1.0");
        if (SYSTEMD_RUNNING) {
            assertThat(calls).contains("deb-systemd-invoke restart mta.service");
        }
        assertThat(calls).noneMatch(c -> c.contains("stop"));
    }

    @Test
    void removeStopsTheRelayUnderSystemdAndKeepsTheSpool() throws IOException {
        List<String> calls = run("prerm", Map.of(), "remove");
        assertThat(calls).isEqualTo(SYSTEMD_RUNNING ? List.of("deb-systemd-invoke stop mta.service") : List.of());
        calls = run("postrm", Map.of(), "remove");
        assertThat(calls).contains("deb-systemd-helper mask mta.service").noneMatch(c -> c.startsWith("rm"));
    }

    @Test
    void purgeDeletesTheSpoolButNotTheUser() throws IOException {
        List<String> calls = run("postrm", Map.of(), "purge");
        assertThat(calls).contains("deb-systemd-helper purge mta.service", "rm -rf /var/lib/mta")
                .noneMatch(c -> c.startsWith("deluser") || c.startsWith("userdel"));
    }

    @Test
    void otherActionsDoNothing() throws IOException {
        assertThat(run("postinst", Map.of(), "triggered", "x")).isEmpty();
        assertThat(run("postrm", Map.of(), "upgrade", "0.2.0")).isEmpty();
    }
}
