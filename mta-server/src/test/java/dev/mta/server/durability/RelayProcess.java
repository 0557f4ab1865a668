package dev.mta.server.durability;

import dev.mta.queue.MessageStore;
import dev.mta.server.Relay;
import dev.mta.server.config.ConfigLoader;
import dev.mta.server.config.RelayConfig;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code mta serve} in a child JVM with the test's classpath, so a test can do to the relay what
 * only happens to a process: SIGKILL, a small heap. The relay listens on one fixed loopback port
 * (the other listeners are off) and keeps its data under the given directory; its output goes to
 * a log file beside the data, whose tail {@link #describe()} shows for failure messages.
 */
final class RelayProcess implements AutoCloseable {
    static final String HOSTNAME = "relay.test";
    private static final Path SHIPPED_CONFIG = Path.of("../conf/mta.conf").toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60); // generous: CI machines are shared

    private final Process process;
    private final int port;
    private final Path log;
    private final long launchedAt;
    private Duration startup;
    private boolean ended;

    private RelayProcess(Process process, int port, Path log, long launchedAt) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.launchedAt = launchedAt;
    }

    /** The -o overrides for a relay with its data in {@code directory/data} listening on {@code port}. */
    private static List<String> overrides(Path directory, int port, List<String> extra) {
        List<String> all = new ArrayList<>();
        all.add("hostname=" + HOSTNAME);
        all.add("data-directory=\"" + directory.resolve("data") + "\"");
        all.add("smtp.listeners.relay.port=" + port);
        all.add("smtp.listeners.submission.enabled=false");
        all.add("smtp.listeners.submissions.enabled=false");
        all.add("delivery.enabled=false");
        all.add("admin.port=0");
        all.add("delivery.trust-anchors=\"" + SHIPPED_CONFIG.getParent().resolve("trust-anchors.txt") + "\"");
        all.addAll(extra);
        return all;
    }

    /**
     * Launches a relay on a free port and waits until it answers with its greeting.
     *
     * @param name       names the log file, e.g. "cycle-2"
     * @param jvmOptions e.g. -Xmx256m
     * @param extra      more -o overrides
     */
    static RelayProcess start(Path directory, String name, List<String> jvmOptions, List<String> extra)
            throws IOException, InterruptedException {
        return start(directory, name, jvmOptions, extra, SHIPPED_CONFIG);
    }

    /** As above, reading {@code configFile} (a test's own copy, which it may edit and reload). */
    static RelayProcess start(Path directory, String name, List<String> jvmOptions, List<String> extra, Path configFile)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> overrides = overrides(directory, port, extra);
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.mta.server.cli.Main");
        command.add("serve");
        command.add("-c");
        command.add(configFile.toString());
        for (String override : overrides) {
            command.add("-o");
            command.add(override);
        }
        Path log = directory.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long launchedAt = System.nanoTime();
        RelayProcess relay = new RelayProcess(builder.start(), port, log, launchedAt);
        try {
            relay.awaitGreeting();
            return relay;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            relay.kill();
            throw e;
        }
    }

    /** Polls the port until the relay greets, failing at once when the process exits instead. */
    private void awaitGreeting() throws IOException, InterruptedException {
        long deadline = launchedAt + START_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("relay exited with " + process.exitValue() + " before listening\n"
                        + describe());
            }
            try (SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", port, Duration.ofSeconds(5))) {
                SmtpReply greeting = client.readReply();
                if (greeting.code() != 220) {
                    throw new AssertionError("greeting " + greeting.raw() + "\n" + describe());
                }
                startup = Duration.ofNanos(System.nanoTime() - launchedAt);
                return;
            } catch (IOException e) {
                last = e;
                // Connection refused until the listener binds: wait for the process, not blindly.
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("relay not listening on port " + port + " after " + START_TIMEOUT
                + " (" + last + ")\n" + describe());
    }

    int port() {
        return port;
    }

    /** From launch to the first greeting. */
    Duration startup() {
        return startup;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    SmtpTestClient connect() throws IOException {
        return SmtpTestClient.connect("127.0.0.1", port);
    }

    /** Opens the queue of a relay whose data is under {@code directory}, as {@code mta queue} does. */
    static MessageStore openStoreOf(Path directory) throws Exception {
        RelayConfig config = ConfigLoader.load(SHIPPED_CONFIG, overrides(directory, 0, List.of())).config();
        return Relay.openStore(config, Clock.systemUTC());
    }

    /**
     * SIGKILL: on Linux {@code destroyForcibly()} sends SIGKILL (ProcessImpl.destroy(true) ends in
     * the native ProcessHandleImpl.destroy0(pid, startTime, true), which calls kill(pid, SIGKILL)),
     * so no shutdown hook, no finally block and no H2 close runs. The exit value is 128 + 9.
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return waitForExit();
    }

    /** The shipped configuration file, for tests that start from a copy of it. */
    static Path shippedConfig() {
        return SHIPPED_CONFIG;
    }

    /** Sends a signal by name (HUP, TERM...) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** Waits until the log has a line containing {@code text}, failing when the process ends first. */
    String awaitLogLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            java.util.Optional<String> line = log().lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError("relay exited before logging '" + text + "'\n" + describe());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no log line with '" + text + "' within " + timeout + "\n" + describe());
    }

    /** SIGTERM: the relay's shutdown hook closes the listeners and the store. */
    int stop() throws InterruptedException {
        process.destroy();
        return waitForExit();
    }

    private int waitForExit() throws InterruptedException {
        ended = true;
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new AssertionError("relay did not exit within 30 s\n" + describe());
        }
        return process.exitValue();
    }

    /** Where the child's log goes. */
    Path logFile() {
        return log;
    }

    /** The child's log, for reports and failure messages. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Log lines at WARN or ERROR and stack traces: what a clean run should not have. */
    List<String> complaints() {
        return log().lines()
                .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.startsWith("\tat ")
                        || l.startsWith("Exception") || l.contains("OutOfMemoryError"))
                .toList();
    }

    String describe() {
        List<String> lines = log().lines().toList();
        return "--- last lines of " + log + " (pid " + process.pid() + ", alive " + process.isAlive() + ") ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /**
     * Kills the relay if the test did not stop or kill it, which means the test failed (or the
     * relay died by itself): shows its log first.
     */
    @Override
    public void close() throws InterruptedException {
        if (!ended) {
            System.out.println(describe());
            kill();
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
