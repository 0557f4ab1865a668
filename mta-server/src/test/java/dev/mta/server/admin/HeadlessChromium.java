package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium run headless, as a real browser loading a page: the DOM after parsing, or a
 * screenshot. Installed by ./test (packaging/test-tools.sh); a test using it is skipped, with that
 * reason, only where it is missing and the run is not ./test's, which sets
 * {@code mta.test.tools-required} so CI cannot skip it.
 */
final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 60;

    private final Path profile;

    private HeadlessChromium(Path profile) {
        this.profile = profile;
    }

    /** Chromium with a profile of its own in {@code scratch}. */
    static HeadlessChromium in(Path scratch) throws IOException {
        if (Boolean.getBoolean("mta.test.tools-required")) {
            assertThat(CHROMIUM).as("./test installs chromium (packaging/test-tools.sh)").isExecutable();
        }
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (apt-get install chromium)");
        return new HeadlessChromium(Files.createDirectories(scratch.resolve("chromium-profile")));
    }

    /** The document as the browser built it, serialised. */
    String dumpDom(String url) throws Exception {
        return run(List.of("--dump-dom", url));
    }

    /** A PNG of the page in a window of the given size. */
    void screenshot(String url, Path png, int width, int height) throws Exception {
        Files.deleteIfExists(png);
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars", url));
    }

    private String run(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                // Nothing but the page: no first-run work, no extensions, no calls home.
                "--user-data-dir=" + profile, "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--disable-dev-shm-usage"));
        command.addAll(arguments);
        Path errors = Files.createTempFile(profile, "stderr", ".txt");
        Path output = Files.createTempFile(profile, "stdout", ".txt");
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).redirectOutput(output.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + Files.readString(errors));
        }
        assertThat(process.exitValue()).as("chromium: " + Files.readString(errors)).isZero();
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
