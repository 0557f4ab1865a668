package dev.mta.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The archives this module's package phase built, as failsafe's system properties name them. */
final class Distribution {
    private Distribution() {
    }

    static Path targetDirectory() {
        return Path.of(property("mta.dist.directory"));
    }

    static String version() {
        return property("mta.version");
    }

    /** The repository's conf/ directory, which the archives' configuration is made from. */
    static Path repositoryConfDirectory() {
        return Path.of(property("mta.conf.directory"));
    }

    /** This machine's Debian architecture (amd64, arm64...): the .deb's, since it ships a compiled program. */
    static String debianArchitecture() {
        return Command.run(List.of("dpkg", "--print-architecture")).successfulOutput().strip();
    }

    static Path debianPackage() {
        String name = "mta_.*_" + java.util.regex.Pattern.quote(debianArchitecture()) + "\\.deb";
        try (Stream<Path> files = Files.list(targetDirectory())) {
            List<Path> packages = files.filter(f -> f.getFileName().toString().matches(name)).toList();
            assertThat(packages).as("the .deb in %s", targetDirectory()).hasSize(1);
            return packages.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tarball() {
        Path tarball = targetDirectory().resolve("mta-" + version() + ".tar.gz");
        assertThat(tarball).isRegularFile();
        return tarball;
    }

    /** Unpacks the .deb's files (not its control part) under {@code root}, as dpkg would under /. */
    static void extractDebianPackage(Path root) {
        Command.run(List.of("dpkg-deb", "-x", debianPackage().toString(), root.toString())).successfulOutput();
    }

    /** The mail drop helper's C source, as the build compiles it. */
    static Path postdropSource() {
        return Path.of(property("mta.postdrop.source"));
    }

    /** The compiler flags the build compiles the helper with. */
    static List<String> postdropCompilerFlags() {
        return List.of(property("mta.postdrop.cflags").strip().split("\\s+"));
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        assertThat(value).as("system property %s (set by this module's failsafe configuration)", name).isNotBlank();
        return value;
    }
}
