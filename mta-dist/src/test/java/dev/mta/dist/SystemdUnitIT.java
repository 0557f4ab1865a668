package dev.mta.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mta.service as systemd itself reads it: systemd-analyze on a scratch root that holds the
 * extracted .deb and this host's own units (the targets the service is ordered against).
 */
class SystemdUnitIT {
    private static final String UNIT = "usr/lib/systemd/system/mta.service";

    @TempDir
    static Path root;

    @BeforeAll
    static void scratchRoot() throws IOException {
        assertThat(Path.of("/usr/bin/systemd-analyze"))
                .as("systemd-analyze (Debian package systemd; packaging/test-tools.sh installs it)").isExecutable();
        Distribution.extractDebianPackage(root);
        Path units = root.resolve("usr/lib/systemd/system");
        for (String hostUnits : List.of("/lib/systemd/system", "/usr/lib/systemd/system")) {
            if (Files.isDirectory(Path.of(hostUnits))) {
                // -n: the packaged mta.service is never replaced by anything of the host's.
                Command.run(List.of("cp", "-rn", hostUnits + "/.", units.toString())).successfulOutput();
            }
        }
        // ExecReload's /bin/kill comes from procps, a dependency of the package, not from the package.
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/kill"), root.resolve("bin/kill"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }

    @Test
    void systemdAcceptsTheUnitWithoutAWarning() {
        // verify exits 0 on unknown keys and bad values, and only warns: no output is the pass mark.
        // Under --root it also checks that ExecStart's program exists in the package.
        Command.Result result = Command.run(List.of("systemd-analyze", "verify", "--root=" + root, "mta.service"));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isEmpty();
    }

    @Test
    void runsTheInstalledLauncherAsTheMtaUser() throws IOException {
        assertThat(Files.readAllLines(root.resolve(UNIT))).contains(
                "User=mta", "Group=mta",
                "ExecStart=/usr/share/mta/bin/mta serve -c /etc/mta/mta.conf",
                "ExecReload=/bin/kill -HUP $MAINPID",
                "EnvironmentFile=-/etc/default/mta",
                "WorkingDirectory=/var/lib/mta",
                "Restart=on-failure",
                "WantedBy=multi-user.target");
    }

    @Test
    void givesTheRelayTimeToFinishItsSessionsOnStop() throws IOException {
        List<String> unit = Files.readAllLines(root.resolve(UNIT));
        // The JVM answers SIGTERM by running its shutdown hooks, then exits 143.
        assertThat(unit).contains("SuccessExitStatus=143", "TimeoutStopSec=90s");
    }

    @Test
    void writesOnlyTheSpoolAndBindsOnlyPrivilegedPorts() throws IOException {
        assertThat(Files.readAllLines(root.resolve(UNIT))).contains(
                "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/mta", "ProtectHome=yes",
                "PrivateTmp=yes", "PrivateDevices=yes",
                "AmbientCapabilities=CAP_NET_BIND_SERVICE", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
                "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallArchitectures=native",
                "LockPersonality=yes", "RestrictRealtime=yes", "ProtectKernelTunables=yes",
                "ProtectKernelModules=yes", "ProtectKernelLogs=yes", "ProtectControlGroups=yes");
    }

    @Test
    void systemdRatesTheSandboxWellBelowMedium() {
        String report = Command.run(List.of("systemd-analyze", "security", "--offline=true", "--root=" + root,
                "mta.service")).successfulOutput();
        Matcher level = Pattern.compile("Overall exposure level for mta\\.service: (\\d+\\.\\d)").matcher(report);
        assertThat(level.find()).as(report).isTrue();
        // 10 is an unconfined service; systemd calls up to 3.9 "OK". The JVM's JIT rules out
        // MemoryDenyWriteExecute, and a relay needs the network, so 0 is out of reach.
        assertThat(Double.parseDouble(level.group(1))).as(report).isLessThanOrEqualTo(2.5);
    }
}
