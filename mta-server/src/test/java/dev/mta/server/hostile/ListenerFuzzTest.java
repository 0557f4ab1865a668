package dev.mta.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Hostile input at the listener, from a seeded generator (the seed is printed; rerun with
 * -Dfuzz.seed=N): malformed commands, overlong lines, invalid UTF-8, NUL and control bytes,
 * broken AUTH base64, pipelined garbage, and garbage where a TLS handshake should be. Every byte
 * the relay sends back must be well-formed SMTP replies, no error may escape a session into the
 * log, and the relay must serve a clean session afterwards. (Garbage that happens to form a
 * valid transaction from a relay network may queue a message: that is not an error.)
 */
class ListenerFuzzTest {
    private static final Pattern REPLY_LINE = Pattern.compile("[2-5][0-9]{2}([ -].*)?");
    private static final int SESSIONS = 50;

    @TempDir
    Path dir;

    @Test
    void garbageGetsWellFormedRepliesAndBreaksNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("ListenerFuzzTest seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try (TestRelay relay = TestRelay.in(dir).user("alice", "secret").option("smtp.max-errors", "1000")
                .option("smtp.idle-timeout", "5s").option("smtp.session-timeout", "10s").start()) {
            int port = relay.port("relay");
            for (int session = 0; session < SESSIONS; session++) {
                byte[] input = session(random);
                String replies = exchange(port, input);
                for (String line : replies.split("\r\n", -1)) {
                    if (!line.isEmpty()) {
                        assertThat(line).as("session %d (seed %d) sent %s", session, seed, printable(input))
                                .matches(REPLY_LINE);
                    }
                }
                assertThat(replies).as("only CRLF-terminated lines").doesNotContain("\n\n").doesNotContainPattern("[^\r]\n");
            }
            // Still serving: a clean session works, and the garbage queued nothing.
            try (SmtpTestClient client = relay.connect("relay")) {
                assertThat(client.readReply().code()).isEqualTo(220);
                client.ehlo("clean.test");
                client.command("MAIL FROM:<alice@sender.example>");
                client.command("RCPT TO:<bob@example.org>");
                SmtpReply accepted = client.data("Subject: after the fuzz\r\n\r\nx\r\n");
                assertThat(accepted.code()).isEqualTo(250);
            }
        } finally {
            root.detachAppender(log);
        }
        assertThat(log.list).as("no error escaped a session").noneMatch(e -> e.getLevel() == Level.ERROR);
    }

    /** One session's worth of bytes: a few commands, some valid, most not, sent in one burst. */
    static byte[] session(Random random) {
        StringBuilder text = new StringBuilder();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int commands = 1 + random.nextInt(12);
        for (int i = 0; i < commands; i++) {
            byte[] command = switch (random.nextInt(12)) {
                case 0 -> "EHLO fuzz.test\r\n".getBytes(StandardCharsets.US_ASCII);
                case 1 -> ("MAIL FROM:<" + junkText(random, 40) + ">\r\n").getBytes(StandardCharsets.UTF_8);
                case 2 -> ("RCPT TO:<" + junkText(random, 40) + "@example.org>\r\n").getBytes(StandardCharsets.UTF_8);
                case 3 -> ("AUTH PLAIN " + brokenBase64(random) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                case 4 -> ("AUTH LOGIN\r\n" + brokenBase64(random) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                case 5 -> ("X".repeat(500 + random.nextInt(5000)) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                case 6 -> randomBytes(random, 1 + random.nextInt(300));
                case 7 -> new byte[] {'N', 'O', 'O', 'P', 0, (byte) 0xff, (byte) 0xfe, '\r', '\n'};
                case 8 -> ("MAIL FROM:<a@b> " + junkText(random, 30) + "=" + junkText(random, 30) + "\r\n").getBytes(StandardCharsets.UTF_8);
                case 9 -> "DATA\r\n".getBytes(StandardCharsets.US_ASCII);
                case 10 -> ("RSET\rNOOP\nQUIT\r\r\n").getBytes(StandardCharsets.US_ASCII);
                default -> ("STARTTLS\r\n").getBytes(StandardCharsets.US_ASCII);
            };
            bytes.writeBytes(command);
            if (command.length > 7 && new String(command, 0, 8, StandardCharsets.ISO_8859_1).equals("STARTTLS")) {
                // Garbage where the client's TLS hello should be.
                bytes.writeBytes(randomBytes(random, 1 + random.nextInt(200)));
                return bytes.toByteArray();
            }
        }
        text.setLength(0);
        // Close the session politely (ending a DATA left open), so the relay hangs up at once.
        bytes.writeBytes("\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        return bytes.toByteArray();
    }

    private static String junkText(Random random, int max) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(max);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            s.appendCodePoint(kind < 6 ? 33 + random.nextInt(94) : kind < 8 ? 0x80 + random.nextInt(0x700) : random.nextInt(32));
        }
        return s.toString().replace("\r", "").replace("\n", "");
    }

    private static String brokenBase64(Random random) {
        String good = Base64.getEncoder().encodeToString(("\0alice\0" + random.nextInt()).getBytes(StandardCharsets.UTF_8));
        int cut = random.nextInt(good.length() + 1);
        return good.substring(0, cut) + "!*%".charAt(random.nextInt(3)) + good.substring(cut);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Sends everything at once, then reads what comes back until the relay closes or goes quiet. */
    private static String exchange(int port, byte[] input) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1500);
            socket.getOutputStream().write(input);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException quiet) {
                // the relay waits for more input: the session is done for this test
            } catch (IOException reset) {
                // closed on us mid-read (e.g. after a failed handshake): what came before counts
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static String printable(byte[] input) {
        StringBuilder s = new StringBuilder();
        for (byte b : input) {
            s.append(b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff));
        }
        return s.length() > 400 ? s.substring(0, 400) + "..." : s.toString();
    }
}
