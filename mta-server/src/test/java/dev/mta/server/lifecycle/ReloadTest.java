package dev.mta.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.security.password.Argon2Cost;
import dev.mta.security.password.PasswordHasher;
import dev.mta.server.ReloadOutcome;
import dev.mta.server.ReloadRefused;
import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import dev.mta.testsupport.tls.TestTlsContexts;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reload: new settings, certificate and users for new sessions; refused when broken; sessions kept. */
class ReloadTest {
    @TempDir
    Path dir;

    private static SmtpReply secondRecipient(SmtpTestClient client) throws Exception {
        client.ehlo("client.test");
        assertThat(client.command("MAIL FROM:<alice@sender.example>").code()).isEqualTo(250);
        assertThat(client.command("RCPT TO:<one@example.org>").code()).isEqualTo(250);
        return client.command("RCPT TO:<two@example.org>");
    }

    @Test
    void newLimitsApplyToTheNextSessionAndTheOpenSessionGoesOn() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).start();
                SmtpTestClient open = relay.connect("relay")) {
            open.readReply();
            open.ehlo("client.test");
            assertThat(open.command("MAIL FROM:<alice@sender.example>").code()).isEqualTo(250);

            ReloadOutcome outcome = relay.reloadWith("smtp.max-recipients", "1");

            assertThat(outcome.restartNeeded()).isEmpty();
            // The session opened before the reload is still there and can finish its message.
            assertThat(open.command("RCPT TO:<one@example.org>").code()).isEqualTo(250);
            assertThat(open.data("Subject: kept\r\n\r\nx\r\n").code()).isEqualTo(250);
            try (SmtpTestClient next = relay.connect("relay")) {
                next.readReply();
                SmtpReply refused = secondRecipient(next);
                assertThat(refused.code()).isEqualTo(452);
            }
        }
    }

    @Test
    void anInvalidConfigurationIsRefusedWithItsErrorAndTheOldOneStays() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).option("smtp.max-recipients", "1").start()) {
            assertThatThrownBy(() -> relay.reloadWith("smtp.max-recipients", "lots"))
                    .isInstanceOf(ReloadRefused.class)
                    .hasMessageContaining("smtp.max-recipients");
            assertThatThrownBy(() -> relay.reloadWith("smtp.relay-networks", "[\"not-a-network\"]"))
                    .isInstanceOf(ReloadRefused.class)
                    .hasMessageContaining("smtp.relay-networks");
            try (SmtpTestClient client = relay.connect("relay")) {
                client.readReply();
                assertThat(secondRecipient(client).code()).as("the old limit is in force").isEqualTo(452);
            }
        }
    }

    @Test
    void aNewCertificateIsServedToNewSessionsAndABrokenOneIsRefused() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).start()) {
            Path certificate = relay.config().smtp().certificate().orElseThrow();
            Path key = relay.config().smtp().privateKey().orElseThrow();
            BigInteger before = servedSerial(relay, TestTlsContexts.clientTrustingEverything());

            TestCertificates certificates = TestCertificates.ec();
            CertifiedKey otherCa = certificates.ca("Second CA");
            CertifiedKey renewed = certificates.leaf(otherCa, TestRelay.HOSTNAME);
            Path staging = Files.createDirectories(dir.resolve("renewed"));
            var pem = renewed.writePem(staging);
            Files.copy(pem.certificateChain(), certificate, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(pem.privateKey(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            relay.relay().reload();

            BigInteger after = servedSerial(relay, TestTlsContexts.clientTrustingEverything());
            assertThat(after).isNotEqualTo(before).isEqualTo(renewed.certificate().getSerialNumber());

            Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
            assertThatThrownBy(() -> relay.relay().reload()).isInstanceOf(ReloadRefused.class)
                    .hasMessageContaining(certificate.getFileName().toString());
            assertThat(servedSerial(relay, TestTlsContexts.clientTrustingEverything())).as("still the renewed one").isEqualTo(after);
        }
    }

    @Test
    void usersAddedToTheFileMayAuthenticateAfterTheReload() throws Exception {
        Path users = dir.resolve("users");
        PasswordHasher hasher = new PasswordHasher(new Argon2Cost(1024, 1, 1));
        Files.writeString(users, "alice:" + hasher.hash("old-secret".toCharArray()) + "\n");
        try (TestRelay relay = TestRelay.in(dir).option("smtp.users-file", "\"" + users + "\"").start()) {
            assertThat(auth(relay, "bob", "new-secret")).isEqualTo(535);
            Files.writeString(users, "alice:" + hasher.hash("old-secret".toCharArray()) + "\n"
                    + "bob:" + hasher.hash("new-secret".toCharArray()) + "\n");
            relay.relay().reload();
            assertThat(auth(relay, "bob", "new-secret")).isEqualTo(235);
            assertThat(auth(relay, "alice", "old-secret")).isEqualTo(235);

            Files.writeString(users, "this line has no colon\n");
            assertThatThrownBy(() -> relay.relay().reload()).isInstanceOf(ReloadRefused.class);
            assertThat(auth(relay, "bob", "new-secret")).as("the old users stay").isEqualTo(235);
        }
    }

    @Test
    void settingsThatNeedARestartAreNamedAndKeptAsTheyWere() throws Exception {
        try (TestRelay relay = TestRelay.in(dir).start()) {
            int port = relay.port("relay");
            ReloadOutcome outcome = relay.reloadWith("smtp.listeners.relay.address", "\"127.0.0.2\"");
            assertThat(outcome.restartNeeded()).containsExactly("smtp.listeners.relay.address");
            outcome = relay.reloadWith("delivery.max-connections", "70");
            assertThat(outcome.restartNeeded()).containsExactly("delivery.max-connections", "smtp.listeners.relay.address");
            assertThat(relay.port("relay")).isEqualTo(port);
            try (SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", port)) {
                assertThat(client.readReply().code()).isEqualTo(220);
            }
        }
    }

    private static BigInteger servedSerial(TestRelay relay, javax.net.ssl.SSLContext trustAll) throws Exception {
        try (SmtpTestClient client = SmtpTestClient.connectImplicitTls("127.0.0.1", relay.port("submissions"), trustAll,
                TestRelay.HOSTNAME)) {
            client.readReply();
            X509Certificate leaf = (X509Certificate) client.tlsSession().orElseThrow().getPeerCertificates()[0];
            return leaf.getSerialNumber();
        }
    }

    private static int auth(TestRelay relay, String user, String password) throws Exception {
        try (SmtpTestClient client = relay.connectImplicitTls("submissions")) {
            client.readReply();
            client.ehlo("client.test");
            String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
            return client.command("AUTH PLAIN " + token).code();
        }
    }

    @Test
    void aNewTlsPolicyTableAppliesToTheNextDeliveryAttempt() throws Exception {
        try (dev.mta.testsupport.dns.TestDnsServer dns = dev.mta.testsupport.dns.TestDnsServer.start();
                dev.mta.testsupport.smtp.SmtpSinkServer clearText = dev.mta.testsupport.smtp.SmtpSinkServer.builder()
                        .address("127.0.0.2").hostName("mx.example.org").start()) {
            dns.zone("example.org").mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.2");
            try (TestRelay relay = TestRelay.in(dir)
                    .deliveringThrough(dns.port(), clearText.port())
                    .start()) {
                relay.submit("first@example.org", "Subject: in clear\r\n\r\nx\r\n");
                clearText.awaitMessages(1, java.time.Duration.ofSeconds(10));

                ReloadOutcome outcome = relay.reloadWith("delivery.tls-policy.\"example.org\"", "encrypt");
                assertThat(outcome.restartNeeded()).isEmpty();

                var id = relay.submit("second@example.org", "Subject: needs TLS now\r\n\r\nx\r\n");
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
                while (relay.detail(id).recipients().get(0).state() != dev.mta.queue.RecipientState.DEFERRED) {
                    assertThat(System.nanoTime()).as("deferred: the MX offers no STARTTLS").isLessThan(deadline);
                    Thread.sleep(20);
                }
                assertThat(clearText.messages()).hasSize(1);
            }
        }
    }
}
