package dev.mta.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the disk or the store cannot take mail, the client hears 4xx and keeps it; queued mail is untouched. */
class StorageFailureTest {

    private static SmtpReply send(TestRelay relay, String subject) throws Exception {
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            SmtpReply mail = client.command("MAIL FROM:<a@example.org>");
            if (mail.code() != 250) {
                return mail;
            }
            client.command("RCPT TO:<b@example.net>");
            SmtpReply data = client.command("DATA");
            if (data.code() != 354) {
                return data;
            }
            return client.sendData("Subject: " + subject + "\r\n\r\nbody\r\n");
        }
    }

    @Test
    void tooLittleFreeSpaceAnswers452AtMail(@TempDir Path dir) throws Exception {
        try (TestRelay relay = TestRelay.in(dir).option("queue.min-free-space", "1000000G").start()) {
            SmtpReply reply = send(relay, "no room");
            assertThat(reply.raw()).startsWith("452 4.3.1");
            assertThat(relay.queued()).isEmpty();
        }
    }

    @Test
    void declaredSizeBeyondFreeSpaceAnswers452(@TempDir Path dir) throws Exception {
        long free = Files.getFileStore(dir).getUsableSpace();
        try (TestRelay relay = TestRelay.in(dir).option("smtp.max-message-size", "1000000G").start();
                SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("client.test");
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=" + free).raw()).startsWith("452 4.3.1");
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=1000").code()).isEqualTo(250);
        }
    }

    @Test
    void storeFailureAnswers451AndLosesNothingQueuedBefore(@TempDir Path dir) throws Exception {
        try (TestRelay relay = TestRelay.in(dir).start()) {
            SmtpReply first = send(relay, "before");
            assertThat(first.code()).isEqualTo(250);
            // Break the spool for real: its directory becomes a plain file, so no spool file can be made.
            Path incoming = dir.resolve("data/queue/incoming");
            deleteTree(incoming);
            Files.writeString(incoming, "not a directory");
            SmtpReply failed = send(relay, "during");
            assertThat(failed.raw()).startsWith("451 4.3.0");
            Files.delete(incoming);
            Files.createDirectory(incoming);
            SmtpReply after = send(relay, "after");
            assertThat(after.code()).isEqualTo(250);
            assertThat(relay.queued()).extracting(m -> m.id())
                    .containsExactlyInAnyOrder(TestRelay.queueIdFrom(first.text()), TestRelay.queueIdFrom(after.text()));
            assertThat(relay.body(TestRelay.queueIdFrom(first.text()))).contains("Subject: before");
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
