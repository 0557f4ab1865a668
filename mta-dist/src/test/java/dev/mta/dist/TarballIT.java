package dev.mta.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mta-VERSION.tar.gz: the relay runnable from wherever it is unpacked. */
class TarballIT {
    @TempDir
    static Path unpacked;

    static Path home;

    @BeforeAll
    static void unpack() {
        Command.run(List.of("tar", "-xzf", Distribution.tarball().toString(), "-C", unpacked.toString()))
                .successfulOutput();
        home = unpacked.resolve("mta-" + Distribution.version());
    }

    @Test
    void holdsTheLauncherTheLibrariesAndTheConfiguration() {
        String listing = Command.run(List.of("tar", "-tzvf", Distribution.tarball().toString())).successfulOutput();
        String top = "mta-" + Distribution.version() + "/";
        assertThat(listing)
                .containsPattern("(?m)^-rwxr-xr-x .* " + top + "bin/mta$")
                .containsPattern("(?m)^-rw-r--r-- .* " + top + "lib/mta-server\\.jar$")
                .containsPattern("(?m)^-rw-r--r-- .* " + top + "lib/java-lookup\\.sh$")
                .containsPattern("(?m)^-rw-r--r-- .* " + top + "conf/mta\\.conf$")
                .containsPattern("(?m)^-rw-r--r-- .* " + top + "conf/trust-anchors\\.txt$")
                .containsPattern("(?m)^-rw-r--r-- .* " + top + "INSTALL$");
        assertThat(home.resolve("conf/mta.conf"))
                .hasSameTextualContentAs(Distribution.repositoryConfDirectory().resolve("mta.conf"));
    }

    @Test
    void checksItsConfigurationFromTheUnpackedDirectory(@TempDir Path data) {
        // conf/mta.conf's relative trust-anchors path is taken from the working directory.
        String output = Command.run(List.of("bin/mta", "check-config", "-o", "data-directory=" + data),
                home, Map.of("MTA_CONFIG", "")).successfulOutput();
        assertThat(output).contains("data-directory = " + data + "    # -o data-directory=" + data)
                .contains("delivery.trust-anchors = conf/trust-anchors.txt");
    }

    @Test
    void readsTheConfigurationBesideItWhenStartedElsewhere(@TempDir Path elsewhere) {
        String output = Command.run(List.of(home.resolve("bin/mta").toString(), "check-config",
                "-o", "data-directory=" + elsewhere,
                "-o", "delivery.trust-anchors=" + home.resolve("conf/trust-anchors.txt")),
                elsewhere, Map.of("MTA_CONFIG", "")).successfulOutput();
        assertThat(output).contains("delivery.dnssec = validate    # " + home.resolve("conf/mta.conf"));
    }

    @Test
    void findsItsLibrariesWhenStartedThroughASymlink(@TempDir Path data, @TempDir Path binDirectory)
            throws Exception {
        // As from /usr/local/bin/mta -> .../bin/mta: the home is where the link points.
        Path link = java.nio.file.Files.createSymbolicLink(binDirectory.resolve("mta"), home.resolve("bin/mta"));
        String output = Command.run(List.of(link.toString(), "check-config", "-o", "data-directory=" + data,
                "-o", "delivery.trust-anchors=" + home.resolve("conf/trust-anchors.txt")), data,
                Map.of("MTA_CONFIG", "")).successfulOutput();
        assertThat(output).contains("data-directory = " + data);
    }

    @Test
    void passesMtaJavaOptsToTheJvmWordByWord(@TempDir Path data) {
        // -XshowSettings prints and lets the program run on; two words must arrive as two options.
        String output = Command.run(List.of("bin/mta", "check-config", "-o", "data-directory=" + data), home,
                Map.of("MTA_CONFIG", "", "MTA_JAVA_OPTS", "-XshowSettings:properties -Dmta.probe=passed"))
                .successfulOutput();
        assertThat(output).contains("mta.probe = passed").contains("data-directory = " + data);
    }

    @Test
    void allowsNettysUnsafeAccessOnJava24AndLater(@TempDir Path data) {
        // As ./mta does: JDK 24+ warns at each start about sun.misc.Unsafe unless allowed.
        String output = Command.run(List.of("bin/mta", "check-config", "-o", "data-directory=" + data), home,
                Map.of("MTA_CONFIG", "", "JAVA_HOME", System.getProperty("java.home"),
                        "MTA_JAVA_OPTS", "-XshowSettings:properties")).successfulOutput();
        if (Runtime.version().feature() >= 24) {
            assertThat(output).contains("sun.misc.unsafe.memory.access = allow");
        } else {
            assertThat(output).doesNotContain("sun.misc.unsafe.memory.access");
        }
    }

    @Test
    void refusesAJavaHomeOlderThan21ForANewerOne(@TempDir Path data, @TempDir Path fakeJava) throws Exception {
        // A JAVA_HOME whose java says it is 17 is passed over; the launcher finds a 21+ elsewhere.
        Path bin = java.nio.file.Files.createDirectories(fakeJava.resolve("bin"));
        java.nio.file.Files.writeString(fakeJava.resolve("release"), "JAVA_VERSION=\"17.0.2\"\n");
        Path fake = bin.resolve("java");
        java.nio.file.Files.writeString(fake, "#!/bin/sh\necho 'this old java must not run' >&2\nexit 3\n");
        fake.toFile().setExecutable(true);
        String output = Command.run(List.of("bin/mta", "check-config", "-o", "data-directory=" + data), home,
                Map.of("MTA_CONFIG", "", "JAVA_HOME", fakeJava.toString())).successfulOutput();
        assertThat(output).doesNotContain("this old java").contains("data-directory = " + data);
    }
}
