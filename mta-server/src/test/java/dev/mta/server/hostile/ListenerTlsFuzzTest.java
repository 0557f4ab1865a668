package dev.mta.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Hostile input inside a TLS session, after a completed STARTTLS handshake (where the framer has
 * switched to the decrypted stream): seeded garbage (rerun with -Dfuzz.seed=N) must get only
 * well-formed replies and break nothing; and input that never ends where a line or message
 * should (50 MB without a line feed as a command, as an AUTH response, as a message line, and a
 * message body far over the size limit) must be cut off with a reply, not buffered: the relay's
 * memory after GC, measured while such input is half sent, stays within a fixed bound.
 */
class ListenerTlsFuzzTest {
    private static final Pattern REPLY_LINE = Pattern.compile("[2-5][0-9]{2}([ -].*)?");
    private static final int SESSIONS = 40;
    private static final long ENDLESS = 50L * 1024 * 1024;
    private static final long WARM_UP = 4L * 1024 * 1024;
    private static final String MAX_MESSAGE_SIZE = "1M";
    /**
     * Growth allowed over the baseline, half-way through 50 MB (measured: under 3 MB of heap and
     * 5 MB of Netty direct memory in use; 12 to 22 MB of direct memory before the read backpressure).
     */
    private static final long GROWTH_BOUND = 8L * 1024 * 1024;
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLog() {
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        root.detachAppender(log);
    }

    private TestRelay startRelay() throws Exception {
        return TestRelay.in(dir).user("alice", "secret").option("smtp.max-errors", "1000")
                .option("smtp.max-message-size", MAX_MESSAGE_SIZE)
                .option("smtp.idle-timeout", "10s").option("smtp.session-timeout", "120s").start();
    }

    @Test
    void garbageInsideTlsGetsWellFormedRepliesAndBreaksNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("ListenerTlsFuzzTest seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        try (TestRelay relay = startRelay()) {
            for (int session = 0; session < SESSIONS; session++) {
                byte[] input = random.nextInt(4) == 0 ? binaryGarbage(random) : ListenerFuzzTest.session(random);
                try (SmtpTestClient client = tlsSession(relay)) {
                    String replies = exchange(client, input);
                    assertWellFormed(replies, "session " + session + " (seed " + seed + ") sent "
                            + ListenerFuzzTest.printable(input));
                }
            }
            assertCleanSessionServed(relay);
        }
        assertThat(errors()).as("no error escaped a session").isEmpty();
    }

    @Test
    void endlessInputInsideTlsIsCutOffAndMemoryStaysBounded() throws Exception {
        try (TestRelay relay = startRelay()) {
            List<String> transaction = List.of("MAIL FROM:<alice@sender.example>", "RCPT TO:<bob@example.org>", "DATA");
            // Warm up with a little of each, so classes, caches and Netty's pools exist before the baseline.
            assertCleanSessionServed(relay);
            stream(relay, List.of(), new byte[0], 'A', "\r\nQUIT\r\n", WARM_UP);
            stream(relay, List.of(), "AUTH PLAIN\r\n".getBytes(StandardCharsets.US_ASCII), 'Q', "\r\nQUIT\r\n", WARM_UP);
            stream(relay, transaction, new byte[0], 'D', "\r\n.\r\nQUIT\r\n", WARM_UP);
            stream(relay, transaction, new byte[0], 0, "\r\n.\r\nQUIT\r\n", WARM_UP);
            int queuedBefore = relay.queued().size();
            Memory baseline = Memory.afterGc();
            List<String> report = new ArrayList<>();

            // A command line without an end: one 500 5.5.2, the rest skipped up to the next line feed.
            Streamed command = stream(relay, List.of(), new byte[0], 'A', "\r\nNOOP\r\nQUIT\r\n", ENDLESS);
            assertThat(command.replies).startsWith("500 5.5.2").containsOnlyOnce("500 5.5.2")
                    .contains("\r\n250 ").contains("\r\n221 ");
            report.add(command.describe("command line without LF", baseline));

            // An AUTH response without an end: cut off the same way; the session goes on.
            Streamed auth = stream(relay, List.of(), "AUTH PLAIN\r\n".getBytes(StandardCharsets.US_ASCII), 'Q',
                    "\r\nNOOP\r\nQUIT\r\n", ENDLESS);
            assertThat(auth.replies).startsWith("334").contains("\r\n5").contains("\r\n250 ").contains("\r\n221 ");
            report.add(auth.describe("AUTH response without LF", baseline));

            // A message line without an end, inside DATA: refused at the end of the data.
            Streamed dataLine = stream(relay, transaction, new byte[0], 'D', "\r\n.\r\nNOOP\r\nQUIT\r\n", ENDLESS);
            assertThat(dataLine.replies).startsWith("5").contains("\r\n250 ").contains("\r\n221 ");
            report.add(dataLine.describe("message line without LF", baseline));

            // A body far over the size limit, in ordinary lines: 552 at the end, nothing queued.
            Streamed body = stream(relay, transaction, new byte[0], 0, "\r\n.\r\nNOOP\r\nQUIT\r\n", ENDLESS);
            assertThat(body.replies).startsWith("552 5.3.4").contains("\r\n250 ").contains("\r\n221 ");
            report.add(body.describe("message body over " + MAX_MESSAGE_SIZE, baseline));

            assertThat(relay.queued()).as("nothing queued from the endless input").hasSize(queuedBefore);
            assertCleanSessionServed(relay);
            Memory after = Memory.afterGc();
            System.out.println("ListenerTlsFuzzTest memory after GC (heap used / Netty direct in use / reserved): baseline "
                    + baseline + "; after the endless input " + after + " (growth " + mb(after.heap - baseline.heap)
                    + " heap)");
            report.forEach(line -> System.out.println("  " + line));

            for (Streamed streamed : List.of(command, auth, dataLine, body)) {
                assertThat(streamed.halfWay.heap - baseline.heap).as("heap growth half-way through " + streamed.sent
                        + " bytes").isLessThan(GROWTH_BOUND);
                assertThat(streamed.halfWay.direct - baseline.direct).as("Netty direct memory growth half-way")
                        .isLessThan(GROWTH_BOUND);
            }
            assertThat(after.heap - baseline.heap).as("heap growth after all of it").isLessThan(GROWTH_BOUND);
        }
        assertThat(errors()).as("no error escaped a session").isEmpty();
    }

    private List<String> errors() {
        return log.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Connects, reads the greeting, EHLO, STARTTLS with a verified handshake, EHLO again. */
    private static SmtpTestClient tlsSession(TestRelay relay) throws IOException {
        SmtpTestClient client = relay.connect("relay");
        try {
            assertThat(client.readReply().code()).isEqualTo(220);
            assertThat(client.ehlo("fuzz.test").code()).isEqualTo(250);
            client.startTls(relay.clientTls(), TestRelay.HOSTNAME);
            assertThat(client.tlsSession()).isPresent();
            assertThat(client.ehlo("fuzz.test").code()).isEqualTo(250);
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    private static void assertCleanSessionServed(TestRelay relay) throws IOException {
        try (SmtpTestClient client = tlsSession(relay)) {
            assertThat(client.command("AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString(
                    "\0alice\0secret".getBytes(StandardCharsets.UTF_8))).code()).isEqualTo(235);
            assertThat(client.command("MAIL FROM:<alice@sender.example>").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<bob@example.org>").code()).isEqualTo(250);
            SmtpReply reply = client.data("Subject: after the fuzz\r\n\r\nstill serving\r\n");
            assertThat(reply.code()).isEqualTo(250);
        }
    }

    private static void assertWellFormed(String replies, String what) {
        for (String line : replies.split("\r\n", -1)) {
            if (!line.isEmpty()) {
                assertThat(line).as(what).matches(REPLY_LINE);
            }
        }
        assertThat(replies).as("only CRLF-terminated lines: " + what).doesNotContainPattern("[^\r]\n");
    }

    /** Random bytes, then an end of data and QUIT so the session ends without waiting for a timeout. */
    private static byte[] binaryGarbage(Random random) {
        byte[] garbage = new byte[1 + random.nextInt(4096)];
        random.nextBytes(garbage);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(garbage);
        bytes.writeBytes("\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        return bytes.toByteArray();
    }

    /** Sends everything at once inside TLS, then reads what comes back until the relay closes or goes quiet. */
    private static String exchange(SmtpTestClient client, byte[] input) throws IOException {
        SSLSocket socket = client.sslSocket().orElseThrow();
        socket.setSoTimeout(700);
        client.sendRaw(input);
        return readAll(socket.getInputStream());
    }

    private static String readAll(InputStream in) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException quiet) {
            // the relay waits for more input: the session is done for this test
        } catch (SocketException | SSLException closed) {
            // closed on us mid-read: what came before counts
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * One TLS session: the commands (each answered before the next), then {@code prefix}, then
     * {@code endless} bytes of {@code filler} without a line feed (or, with filler 0, lines of
     * 76 characters), then {@code end}; reads every reply until the relay closes. Memory is
     * measured when half of the endless part has been written.
     */
    private static Streamed stream(TestRelay relay, List<String> commands, byte[] prefix, int filler, String end,
            long endless) throws Exception {
        SmtpTestClient client = tlsSession(relay);
        try (client) {
            for (String command : commands) {
                assertThat(client.command(command).code()).as(command).isLessThan(400);
            }
            SSLSocket socket = client.sslSocket().orElseThrow();
            socket.setSoTimeout(Math.toIntExact(STREAM_TIMEOUT.toMillis()));
            CompletableFuture<String> replies = CompletableFuture.supplyAsync(() -> readAll(readerOf(socket)));
            OutputStream out = socket.getOutputStream();
            out.write(prefix);
            byte[] chunk = new byte[78 * 840]; // 64 KiB or so, whole 78-byte lines when filler is 0
            if (filler == 0) {
                for (int i = 0; i < chunk.length; i += 78) {
                    Arrays.fill(chunk, i, i + 76, (byte) 'B');
                    chunk[i + 76] = '\r';
                    chunk[i + 77] = '\n';
                }
            } else {
                Arrays.fill(chunk, (byte) filler);
            }
            Memory halfWay = null;
            long sent = 0;
            while (sent < endless) {
                out.write(chunk);
                sent += chunk.length;
                if (halfWay == null && sent >= endless / 2) {
                    out.flush();
                    halfWay = Memory.afterGc();
                }
            }
            out.write(end.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String text = replies.get(STREAM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertWellFormed(text, "replies to " + sent + " endless bytes");
            return new Streamed(sent, halfWay, text);
        }
    }

    private static InputStream readerOf(SSLSocket socket) {
        try {
            return socket.getInputStream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Streamed(long sent, Memory halfWay, String replies) {
        String describe(String what, Memory baseline) {
            String first = replies.lines().findFirst().orElse("");
            return String.format("%-28s %d MB sent: half-way heap %s (+%s), Netty direct in use %s (+%s),"
                            + " reserved %s (+%s); first reply %s",
                    what, sent >> 20, mb(halfWay.heap), mb(halfWay.heap - baseline.heap), mb(halfWay.direct),
                    mb(halfWay.direct - baseline.direct), mb(halfWay.reserved), mb(halfWay.reserved - baseline.reserved),
                    first);
        }
    }

    /**
     * Heap in use after a full GC; Netty's pooled direct memory held by live buffers (pinned) and
     * reserved by its arenas (which keep chunks once allocated, so this shows the peak).
     */
    private record Memory(long heap, long direct, long reserved, long pooledHeap) {
        static Memory afterGc() {
            java.lang.management.MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
            for (int i = 0; i < 3; i++) {
                bean.gc();
            }
            PooledByteBufAllocatorMetric pool = PooledByteBufAllocator.DEFAULT.metric();
            return new Memory(bean.getHeapMemoryUsage().getUsed(), PooledByteBufAllocator.DEFAULT.pinnedDirectMemory(),
                    pool.usedDirectMemory(), pool.usedHeapMemory());
        }

        @Override
        public String toString() {
            return mb(heap) + " (Netty heap pool " + mb(pooledHeap) + ") / " + mb(direct) + " / " + mb(reserved);
        }
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
