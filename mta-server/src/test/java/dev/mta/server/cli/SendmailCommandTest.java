package dev.mta.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageStore;
import dev.mta.queue.MessageSummary;
import dev.mta.server.Relay;
import dev.mta.server.config.ConfigLoader;
import dev.mta.server.config.RelayConfig;
import dev.mta.server.pickup.DropDirectory;
import dev.mta.server.pickup.PickupService;
import dev.mta.testsupport.dns.TestDnsServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sendmail command line as cron, scripts and PHP call it (Postfix's sendmail(1) flags): what
 * it drops is taken into the real queue by the server's pickup, and inspected there.
 */
class SendmailCommandTest {
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void configuration() throws Exception {
        config = writeConfig("");
    }

    private Path writeConfig(String extra) throws Exception {
        // The shipped file, then this test's keys (later keys win in HOCON).
        String text = Files.readString(Path.of("../conf/mta.conf")) + """

                hostname = relay.test
                data-directory = "%s"
                delivery.trust-anchors = "%s"
                sendmail.origin-domain = example.org
                sendmail.rewrite { "root" = "ops@example.org", "postmaster@other.example" = "admin@example.org" }
                %s
                """.formatted(dir.resolve("data"), Path.of("../conf/trust-anchors.txt").toAbsolutePath(), extra);
        return Files.writeString(dir.resolve("mta-" + System.nanoTime() + ".conf"), text);
    }

    record Run(int code, String out, String err) {
    }

    private Run sendmail(String input, String... args) {
        return sendmail(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), args);
    }

    private Run sendmail(InputStream input, String... args) {
        List<String> all = new ArrayList<>(List.of("sendmail", "-C", config.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), input, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private RelayConfig relayConfig() {
        return ConfigLoader.load(config, List.of()).config();
    }

    /** What the server's pickup makes of the drop directory: the queued messages, oldest first. */
    private List<Queued> picked() throws Exception {
        RelayConfig relay = relayConfig();
        try (MessageStore store = Relay.openStore(relay, Clock.systemUTC());
             PickupService pickup = new PickupService(DropDirectory.inDataDirectory(relay.dataDirectory()), store,
                     relay.hostname(), Clock.systemUTC(), Duration.ofSeconds(1))) {
            pickup.runOnce();
            List<Queued> queued = new ArrayList<>();
            for (MessageSummary summary : store.list()) {
                MessageDetail detail = store.find(summary.id()).orElseThrow();
                try (InputStream body = store.openBody(summary.id())) {
                    queued.add(new Queued(detail.envelope(), new String(body.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            return queued;
        }
    }

    record Queued(Envelope envelope, String body) {
        List<String> recipients() {
            return envelope.recipients().stream().map(EnvelopeRecipient::address).toList();
        }
    }

    private Queued only() throws Exception {
        List<Queued> queued = picked();
        assertThat(queued).hasSize(1);
        return queued.getFirst();
    }

    // --- sending ---

    @Test
    void recipientsOnTheCommandLineAndTheMissingHeadersAdded() throws Exception {
        Run run = sendmail("Subject: backup done\nTo: whoever@example.net\n\nAll fine.\n", "bob@example.net");
        assertThat(run.code()).as(run.err()).isZero();
        Queued mail = only();
        assertThat(mail.envelope().sender()).isEqualTo(USER + "@example.org");
        assertThat(mail.recipients()).containsExactly("bob@example.net");
        assertThat(mail.body()).contains("Subject: backup done\r\n").contains("\r\nFrom: " + USER + "@example.org\r\n")
                .contains("\r\nDate: ").contains("\r\nMessage-ID: <").contains("@relay.test>\r\n")
                .contains("\r\n\r\nAll fine.\r\n")
                .startsWith("Received: by relay.test (mta pickup");
    }

    @Test
    void dashTTakesToCcAndBccRemovesBccAndAddsTheArguments() throws Exception {
        Run run = sendmail("""
                From: Cron Daemon <cron@example.org>
                To: Alice <alice@example.net>, bob@example.net
                Cc: undisclosed:;, carol@example.net
                Bcc: secret@example.net
                Subject: report

                body
                """, "-t", "dave@example.net");
        assertThat(run.code()).as(run.err()).isZero();
        Queued mail = only();
        assertThat(mail.recipients()).containsExactly("alice@example.net", "bob@example.net", "carol@example.net",
                "secret@example.net", "dave@example.net");
        assertThat(mail.body()).doesNotContain("Bcc").doesNotContain("secret@").contains("From: Cron Daemon <cron@example.org>");
    }

    @Test
    void withoutDashIALoneDotEndsTheMessageWithItTheDotIsText() throws Exception {
        assertThat(sendmail("Subject: a\n\nfirst\n.\nnever read\n", "bob@example.net").code()).isZero();
        assertThat(only().body()).contains("first\r\n").doesNotContain("never read");
        Path second = dir.resolve("second");
        Files.createDirectories(second);
        config = writeConfig("data-directory = \"" + second + "\"");
        assertThat(sendmail("Subject: b\n\nfirst\n.\nsecond\n", "-i", "bob@example.net").code()).isZero();
        assertThat(only().body()).contains("first\r\n.\r\nsecond\r\n");
        config = writeConfig("data-directory = \"" + dir.resolve("third") + "\"");
        assertThat(sendmail("Subject: c\n\nfirst\n.\nsecond\n", "-oi", "bob@example.net").code()).isZero();
        assertThat(only().body()).contains("first\r\n.\r\nsecond\r\n");
    }

    @Test
    void senderAndFullNameFlags() throws Exception {
        assertThat(sendmail("Subject: x\n\nx\n", "-f", "bounces@example.org", "-F", "Backup Robot", "bob@example.net").code()).isZero();
        Queued mail = only();
        assertThat(mail.envelope().sender()).isEqualTo("bounces@example.org");
        assertThat(mail.body()).contains("From: Backup Robot <bounces@example.org>\r\n");
    }

    @Test
    void dashRIsDashFAndAnEmptySenderIsTheNullSender() throws Exception {
        assertThat(sendmail("Subject: x\n\nx\n", "-rwww-data", "bob@example.net").code()).isZero();
        assertThat(only().envelope().sender()).isEqualTo("www-data@example.org");
        config = writeConfig("data-directory = \"" + dir.resolve("null") + "\"");
        assertThat(sendmail("Subject: x\n\nx\n", "-f", "<>", "bob@example.net").code()).isZero();
        assertThat(only().envelope().hasNullSender()).isTrue();
    }

    @Test
    void localNamesAreQualifiedAndRewrittenSoCronMailToRootReachesAPerson() throws Exception {
        assertThat(sendmail("Subject: cron\n\nx\n", "root", "alice", "postmaster@other.example").code()).isZero();
        assertThat(only().recipients()).containsExactly("ops@example.org", "alice@example.org", "admin@example.org");
    }

    @Test
    void dsnFlagsReachTheEnvelope() throws Exception {
        assertThat(sendmail("Subject: x\n\nx\n", "-N", "success,delay", "-R", "hdrs", "-V", "batch-42", "bob@example.net").code())
                .isZero();
        Queued mail = only();
        assertThat(mail.envelope().recipients().getFirst().notifyOn())
                .isEqualTo(Set.of(EnvelopeRecipient.Notify.SUCCESS, EnvelopeRecipient.Notify.DELAY));
        assertThat(mail.envelope().dsnReturn()).contains(Envelope.DsnReturn.HDRS);
        assertThat(mail.envelope().dsnEnvelopeId()).contains("batch-42");
    }

    @Test
    void ignoredSendmailOptionsAreAccepted() throws Exception {
        Run run = sendmail("Subject: x\n\nx\n", "-odb", "-oem", "-B", "8BITMIME", "-v", "bob@example.net");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("queued as");
        assertThat(only().recipients()).containsExactly("bob@example.net");
    }

    @Test
    void anEightBitBodyIsQueuedAs8bitmime() throws Exception {
        assertThat(sendmail("Subject: x\n\nGrüße\n", "bob@example.net").code()).isZero();
        Queued mail = only();
        assertThat(mail.envelope().bodyType()).isEqualTo(Envelope.BodyType.EIGHT_BIT_MIME);
        assertThat(mail.body()).contains("Grüße");
    }

    // --- refusals: a clear line on standard error, a sysexits code, nothing queued ---

    @Test
    void anUnknownFlagIsAUsageError() throws Exception {
        Run run = sendmail("x\n", "-X", "bob@example.net");
        assertThat(run.code()).isEqualTo(64);
        assertThat(run.err()).contains("Unknown option").contains("Usage:");
        assertThat(picked()).isEmpty();
    }

    @Test
    void noRecipientsIsAUsageError() throws Exception {
        Run run = sendmail("Subject: x\n\nx\n");
        assertThat(run.code()).isEqualTo(64);
        assertThat(run.err()).contains("recipient addresses must be given");
        Run header = sendmail("Subject: x\n\nx\n", "-t");
        assertThat(header.code()).isEqualTo(64);
        assertThat(header.err()).contains("no recipient addresses found in the message header");
        assertThat(picked()).isEmpty();
    }

    @Test
    void aBadAddressIsNoUser() throws Exception {
        Run run = sendmail("Subject: x\n\nx\n", "bob@@example.net");
        assertThat(run.code()).isEqualTo(67);
        assertThat(run.err()).contains("bob@@example.net");
        assertThat(picked()).isEmpty();
    }

    @Test
    void badDsnFlagsAreUsageErrors() {
        assertThat(sendmail("x\n", "-N", "sometimes", "bob@example.net").code()).isEqualTo(64);
        assertThat(sendmail("x\n", "-N", "never,success", "bob@example.net").code()).isEqualTo(64);
        assertThat(sendmail("x\n", "-R", "body", "bob@example.net").code()).isEqualTo(64);
        assertThat(sendmail("x\n", "-bd").code()).isEqualTo(64);
    }

    @Test
    void aNulByteOrAnOversizedMessageIsADataError() throws Exception {
        Run nul = sendmail("Subject: x\n\nbad\0byte\n", "bob@example.net");
        assertThat(nul.code()).isEqualTo(65);
        assertThat(nul.err()).contains("NUL");
        config = writeConfig("smtp.max-message-size = 1K\nsmtp.max-header-size = 1K");
        Run large = sendmail("Subject: x\n\n" + "x".repeat(2000) + "\n", "bob@example.net");
        assertThat(large.code()).isEqualTo(65);
        assertThat(large.err()).contains("larger than 1024 bytes");
        assertThat(picked()).isEmpty();
    }

    @Test
    void aDropDirectoryThatCannotBeWrittenIsATemporaryFailure() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        config = writeConfig("data-directory = \"" + notADirectory + "\"\nsendmail.postdrop = \"\"");
        Run run = sendmail("Subject: x\n\nx\n", "bob@example.net");
        assertThat(run.code()).isEqualTo(75);
        assertThat(run.err()).contains("it was not sent");
    }

    // --- users who may not write the drop hand their mail to the set-group-id helper ---

    private Path helper(String script) throws Exception {
        Path helper = Files.writeString(dir.resolve("postdrop-" + System.nanoTime()), "#!/bin/sh\n" + script);
        helper.toFile().setExecutable(true);
        return helper;
    }

    @Test
    void whereTheDropCannotBeWrittenTheMessageGoesThroughThePostdropHelper() throws Exception {
        Path handed = dir.resolve("handed");
        Path helper = helper("cat > '" + handed + "'\necho 1763900000000.42.0123456789abcdef\n");
        Path unreachable = Files.writeString(dir.resolve("not-a-directory"), "x").resolve("data");
        config = writeConfig("data-directory = \"" + unreachable + "\"\nsendmail.postdrop = \"" + helper + "\"");
        Run run = sendmail("Subject: via postdrop\n\nhello\n", "-v", "bob@example.net");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("queued as 1763900000000.42.0123456789abcdef");
        String dropFile = Files.readString(handed);
        assertThat(dropFile).startsWith("MTA-DROP 1\n").contains("rcpt: <bob@example.net>").contains("Subject: via postdrop\r\n")
                .endsWith("\r\nhello\r\n");

        // What the helper was given is a drop file the server's pickup takes as it is.
        config = writeConfig("");
        Path ready = DropDirectory.inDataDirectory(relayConfig().dataDirectory()).ready();
        Files.copy(handed, ready.resolve("1763900000000.42.0123456789abcdef"));
        Queued mail = only();
        assertThat(mail.recipients()).containsExactly("bob@example.net");
        assertThat(mail.body()).contains("Subject: via postdrop\r\n");
    }

    @Test
    void aFailingPostdropHelperIsATemporaryFailureWithItsReason() throws Exception {
        Path helper = helper("cat > /dev/null\necho 'mta-postdrop: No space left on device' >&2\nexit 75\n");
        Path unreachable = Files.writeString(dir.resolve("not-a-directory"), "x").resolve("data");
        config = writeConfig("data-directory = \"" + unreachable + "\"\nsendmail.postdrop = \"" + helper + "\"");
        Run run = sendmail("Subject: x\n\nx\n", "bob@example.net");
        assertThat(run.code()).isEqualTo(75);
        assertThat(run.err()).contains("exit 75").contains("No space left on device").contains("it was not sent");
    }

    // --- the other modes ---

    @Test
    void dashBsSpeaksSmtpOnStandardInputAndOutput() throws Exception {
        String dialogue = """
                EHLO client
                MAIL FROM:<app@example.org>
                RCPT TO:<bob@example.net>
                RCPT TO:<carol@example.net>
                DATA
                Subject: from a mailer
                
                ..leading dot
                .
                QUIT
                """.replace("\n", "\r\n");
        Run run = sendmail(dialogue, "-bs");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("220 relay.test ESMTP").contains("250-8BITMIME").contains("354 ")
                .contains("250 2.0.0 Ok: queued as ").contains("221 2.0.0");
        Queued mail = only();
        assertThat(mail.envelope().sender()).isEqualTo("app@example.org");
        assertThat(mail.recipients()).containsExactly("bob@example.net", "carol@example.net");
        assertThat(mail.body()).contains("\r\n.leading dot\r\n").contains("Message-ID: <");
    }

    @Test
    void dashBsRefusesOutOfOrderCommandsAndBadAddresses() {
        Run run = sendmail("MAIL FROM:<a@example.org>\r\nEHLO c\r\nRCPT TO:<b@example.org>\r\nMAIL FROM:<bad address>\r\nDATA\r\nQUIT\r\n", "-bs");
        assertThat(run.out()).contains("503 5.5.1 Say EHLO first").contains("503 5.5.1 MAIL first")
                .contains("501 5.1.3").contains("221");
    }

    @Test
    void dashBpListsTheQueueAndDashQFlushesIt() throws Exception {
        assertThat(sendmail("Subject: x\n\nx\n", "bob@example.net").code()).isZero();
        picked();
        Run list = sendmail("", "-bp");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains(USER + "@example.org").contains("bob@example.net");
        Run flush = sendmail("", "-q");
        assertThat(flush.code()).as(flush.err()).isZero();
        assertThat(sendmail("", "-q30m").code()).isZero();
    }

    @Test
    void dashBiIsNewaliasesAndDoesNothing() {
        Run run = sendmail("", "-bi");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("nothing to do");
    }

    @Test
    void dashBvSaysWhereEachAddressWouldGoWithoutSending() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.zone("example.net").mx("example.net", 10, "mx.example.net").a("mx.example.net", "192.0.2.25");
            dns.zone("nomail.example").nullMx("nomail.example");
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "192.0.2.26");
            config = writeConfig("delivery.dns-servers = [\"127.0.0.1:" + dns.port() + "\"]\ndelivery.dnssec = off");
            Run good = sendmail("", "-bv", "bob@example.net", "root");
            assertThat(good.code()).as(good.err()).isZero();
            assertThat(good.out()).contains("bob@example.net: deliverable via mx.example.net:25 (MX 10)")
                    .contains("ops@example.org: deliverable via mx.example.org:25 (MX 10)");
            Run bad = sendmail("", "-bv", "bob@nomail.example");
            assertThat(bad.code()).isEqualTo(67);
            assertThat(bad.out()).contains("bob@nomail.example: undeliverable (5.1.10");
        }
        assertThat(picked()).as("-bv sends nothing").isEmpty();
    }

    @Test
    void mailDroppedWhileTheServerIsDownIsQueuedWhenItStarts() throws Exception {
        assertThat(sendmail("Subject: while down\n\nx\n", "bob@example.net").code()).isZero();
        RelayConfig relayConfig = ConfigLoader.load(config, List.of("smtp.listeners.relay.port=0",
                "smtp.listeners.submission.port=0", "smtp.listeners.submissions.port=0", "delivery.enabled=false",
                "admin.port=0")).config();
        try (Relay relay = Relay.start(relayConfig, Clock.systemUTC())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (relay.store().list().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(relay.store().list()).hasSize(1);
            // and with the server up, a new message is taken in within a second or so
            assertThat(sendmail("Subject: while up\n\nx\n", "carol@example.net").code()).isZero();
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (relay.store().list().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(relay.store().list()).hasSize(2);
        }
        assertThat(Optional.ofNullable(Files.list(dir.resolve("data/maildrop/new")).findAny().orElse(null))).isEmpty();
    }
}
