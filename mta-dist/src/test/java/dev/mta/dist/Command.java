package dev.mta.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program (dpkg-deb, tar, systemd-analyze, the packaged launcher) and keeps what it printed. */
final class Command {
    private static final long TIMEOUT_SECONDS = 60;

    record Result(List<String> command, int exitCode, String output) {
        /** The output, after checking the program succeeded (with its output in the failure message). */
        String successfulOutput() {
            assertThat(exitCode).as("exit code of %s; it printed:%n%s", command, output).isZero();
            return output;
        }
    }

    private Command() {
    }

    static Result run(List<String> command) {
        return run(command, null, Map.of());
    }

    /** Runs {@code command} in {@code directory} (null: this one) with {@code environment} added; stderr joins stdout. */
    static Result run(List<String> command, Path directory, Map<String, String> environment) {
        return run(command, directory, environment, new byte[0]);
    }

    /**
     * Runs {@code command} with {@code input} as its standard input; stderr joins stdout. The input
     * goes in before the output is read, so it must fit a pipe's buffer (64 KiB on Linux).
     */
    static Result run(List<String> command, byte[] input) {
        return run(command, null, Map.of(), input);
    }

    private static Result run(List<String> command, Path directory, Map<String, String> environment, byte[] input) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input);
            } catch (IOException e) {
                // A program that stops reading early (and exits) closes the pipe: its exit code says why.
            }
            // Read before waiting: a program that fills the pipe would otherwise never exit.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in " + TIMEOUT_SECONDS + "s");
            }
            return new Result(command, process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }
}
