package dev.mta.queue.h2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test sources in a JVM of its own: the same java executable and the
 * test class path, so a test can watch a real second process (or a real crash).
 */
final class ChildJvm {
    private final List<String> prefix = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();

    /** A command the JVM runs under, such as strace or {@code sh -c 'ulimit ...; exec "$@"'}. */
    ChildJvm under(String... command) {
        prefix.addAll(List.of(command));
        return this;
    }

    ChildJvm option(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Runs the child to its end. */
    Result run(Class<?> mainClass, Object... arguments) throws IOException, InterruptedException {
        Process process = start(mainClass, arguments);
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child JVM did not end: " + mainClass.getName());
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** Starts the child and leaves it running; its output (with stderr) is the process's input stream. */
    Process start(Class<?> mainClass, Object... arguments) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        for (Object argument : arguments) {
            command.add(argument.toString());
        }
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    record Result(int exitCode, String output) {
        List<String> lines() {
            return output.lines().toList();
        }

        /** The lines the child printed with this prefix, without it. */
        List<String> tagged(String tag) {
            return output.lines().filter(line -> line.startsWith(tag)).map(line -> line.substring(tag.length())).toList();
        }
    }
}
