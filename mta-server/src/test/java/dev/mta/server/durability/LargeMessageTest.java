package dev.mta.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageStore;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueId;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DATA is streamed to the spool, not held in memory: a relay with a 256 MB heap takes a 50 MB
 * message, stores every byte, and keeps serving.
 */
class LargeMessageTest {
    private static final long TARGET_BYTES = 50L * 1024 * 1024;
    private static final int LINE_LENGTH = Base64Lines.LENGTH;
    private static final int LINES_PER_CHUNK = 800; // about 62 KB per write

    @TempDir
    Path dir;

    private RelayProcess relay;

    @AfterEach
    void killRelay() throws InterruptedException {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void relayWithASmallHeapQueuesA50MegabyteMessageWholeAndStaysUp() throws Exception {
        relay = RelayProcess.start(dir, "large", List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("smtp.max-message-size=60M"));
        System.out.println("LargeMessageTest: relay start-up " + relay.startup().toMillis()
                + " ms (launch to greeting)");

        String header = "From: big@example.org\r\nSubject: fifty megabytes\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n";
        long lines = (TARGET_BYTES - header.length()) / (LINE_LENGTH + 2) + 1;
        String lastLine = "last line of the large message, after " + lines + " lines";
        long messageBytes = header.length() + lines * (LINE_LENGTH + 2) + lastLine.length() + 2;
        MessageDigest sentDigest = MessageDigest.getInstance("SHA-256");

        QueueId id;
        // Syncing 50 MB may take longer than the client's usual 10 s on a slow disk.
        try (SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", relay.port(), Duration.ofSeconds(60))) {
            assertThat(client.readReply().code()).isEqualTo(220);
            SmtpReply ehlo = client.ehlo("client.test");
            assertThat(ehlo.extensionParameters("SIZE")).contains(List.of(String.valueOf(60L * 1024 * 1024)));
            assertThat(client.command("MAIL FROM:<big@example.org> SIZE=" + messageBytes).code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<someone@example.net>").code()).isEqualTo(250);
            assertThat(client.command("DATA").code()).isEqualTo(354);

            long started = System.nanoTime();
            send(client, sentDigest, header.getBytes(StandardCharsets.US_ASCII));
            // No line needs dot-stuffing, so what is sent is what is stored, after the Received header.
            Random random = new Random(50);
            byte[] chunk = new byte[LINES_PER_CHUNK * (LINE_LENGTH + 2)];
            for (long sent = 0; sent < lines; ) {
                int inChunk = (int) Math.min(LINES_PER_CHUNK, lines - sent);
                for (int line = 0; line < inChunk; line++) {
                    int at = line * (LINE_LENGTH + 2);
                    Base64Lines.fill(chunk, at, random);
                    chunk[at + LINE_LENGTH] = '\r';
                    chunk[at + LINE_LENGTH + 1] = '\n';
                }
                send(client, sentDigest, Arrays.copyOf(chunk, inChunk * (LINE_LENGTH + 2)));
                sent += inChunk;
            }
            send(client, sentDigest, (lastLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
            long transferred = System.nanoTime();
            client.sendRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
            SmtpReply reply = client.readReply();
            long replied = System.nanoTime();
            assertThat(reply.raw()).as(relay.describe()).matches("250 2\\.0\\.0 Ok: queued as [0-9A-Z]{12}\\s*");
            id = TestRelay.queueIdFrom(reply.text());
            System.out.printf("LargeMessageTest: %d bytes sent in %d ms, 250 %d ms after the final dot%n",
                    messageBytes, (transferred - started) / 1_000_000, (replied - transferred) / 1_000_000);
            assertThat(client.command("QUIT").code()).isEqualTo(221);
        }

        assertThat(relay.isAlive()).as("relay alive after the message\n" + relay.describe()).isTrue();
        try (SmtpTestClient again = relay.connect()) {
            assertThat(again.readReply().code()).as("a new session is greeted").isEqualTo(220);
        }
        assertThat(relay.log()).doesNotContain("OutOfMemoryError");

        // The relay serves the queue database to other processes (H2 AUTO_SERVER), as for mta queue list.
        try (MessageStore store = RelayProcess.openStoreOf(dir)) {
            assertThat(store.list()).extracting(MessageSummary::id).containsExactly(id);
            MessageDetail detail = store.find(id).orElseThrow();
            Stored stored;
            try (InputStream body = store.openBody(id)) {
                stored = Stored.read(body);
            }
            assertThat(stored.size()).isEqualTo(detail.size()).isGreaterThanOrEqualTo(TARGET_BYTES);
            assertThat(stored.size() - stored.receivedHeaderSize()).isEqualTo(messageBytes);
            assertThat(stored.lastLine()).isEqualTo(lastLine);
            assertThat(stored.digestAfterReceived()).as("SHA-256 of what follows the Received header")
                    .isEqualTo(HexFormat.of().formatHex(sentDigest.digest()));
        }

        String storedDigest;
        long storedSize;
        try (MessageStore store = RelayProcess.openStoreOf(dir); InputStream body = store.openBody(id)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            storedSize = new java.security.DigestInputStream(body, digest).transferTo(java.io.OutputStream.nullOutputStream());
            storedDigest = HexFormat.of().formatHex(digest.digest());
        }

        int exit = relay.stop();
        System.out.println("LargeMessageTest: relay exited with " + exit + " after SIGTERM; log complaints: "
                + relay.complaints());

        // The same relay, heap and data, now delivering: the body is streamed from the queue file.
        try (SmtpSinkServer sink = SmtpSinkServer.builder().discardData().maxMessageSize(60L * 1024 * 1024).start()) {
            relay = RelayProcess.start(dir, "large-delivery", List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
                    List.of("smtp.max-message-size=60M", "delivery.enabled=true",
                            "delivery.routes.\"*\".relay-host=\"[127.0.0.1]:" + sink.port() + "\""));
            ReceivedMessage delivered;
            try {
                delivered = sink.awaitMessages(1, Duration.ofSeconds(120)).getFirst();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + relay.describe(), e);
            }
            assertThat(delivered.dataSize()).isEqualTo(storedSize);
            assertThat(delivered.dataSha256()).isEqualTo(storedDigest);
            assertThat(relay.log()).doesNotContain("OutOfMemoryError");
            relay.stop();
        }
    }

    private static void send(SmtpTestClient client, MessageDigest digest, byte[] bytes) throws IOException {
        digest.update(bytes);
        client.sendRaw(bytes);
    }

    /**
     * A stored body read once: its size, the size of the Received header the relay put first,
     * a digest of everything after that header, and its last line.
     */
    private record Stored(long size, long receivedHeaderSize, String digestAfterReceived, String lastLine) {
        static Stored read(InputStream body) throws Exception {
            BufferedInputStream in = new BufferedInputStream(body, 1 << 16);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long size = 0;
            long headerSize = 0;
            // Received: and its continuation lines (starting with a tab) are the relay's; the first
            // line that does not continue it is the client's first line.
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean inReceived = true;
            boolean firstLine = true;
            while (inReceived) {
                line.reset();
                int b;
                while ((b = in.read()) >= 0) {
                    line.write(b);
                    if (b == '\n') {
                        break;
                    }
                }
                byte[] bytes = line.toByteArray();
                size += bytes.length;
                if (firstLine ? startsWith(bytes, "Received: ") : bytes.length > 0 && bytes[0] == '\t') {
                    headerSize += bytes.length;
                    firstLine = false;
                } else {
                    inReceived = false;
                    digest.update(bytes);
                }
                if (b < 0) {
                    break;
                }
            }
            byte[] tail = new byte[0];
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                size += n;
                byte[] joined = Arrays.copyOf(tail, tail.length + n);
                System.arraycopy(buffer, 0, joined, tail.length, n);
                tail = Arrays.copyOfRange(joined, Math.max(0, joined.length - 512), joined.length);
            }
            String end = new String(tail, StandardCharsets.US_ASCII);
            String withoutCrlf = end.endsWith("\r\n") ? end.substring(0, end.length() - 2) : end;
            String lastLine = withoutCrlf.substring(withoutCrlf.lastIndexOf('\n') + 1);
            return new Stored(size, headerSize, HexFormat.of().formatHex(digest.digest()), lastLine);
        }

        private static boolean startsWith(byte[] bytes, String prefix) {
            return new String(bytes, StandardCharsets.US_ASCII).startsWith(prefix);
        }
    }
}
