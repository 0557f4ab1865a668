package dev.mta.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.server.TestRelay;
import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Never an open relay: loopback is left out of the relay networks here, so the test client is
 * an outsider that must authenticate.
 */
class RelayAccessTest {
    @TempDir
    static java.nio.file.Path dir;

    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.in(dir)
                .option("smtp.relay-networks", "[\"192.0.2.0/24\"]")
                .user("alice", "correct horse")
                .start();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<victim@example.net>",
        "<postmaster@example.net>",
        "<abuse@example.net>",
        "<postmaster@relay.test>",
        "<user%victim.example@relay.test>",
        "<user%victim.example@example.net>",
        "<victim.example!user@relay.test>",
        "<@relay.test:user@victim.example>",
        "<@relay.test,@other.test:user@victim.example>",
        "<\"user@victim.example\"@relay.test>",
        "<\"user%victim.example\"@relay.test>",
        "<user@[127.0.0.1]>",
        "<user@[IPv6:::1]>",
        "<USER@VICTIM.EXAMPLE>",
        "<user@relay.test>",
    })
    void outsiderCannotRelayToAnyAddress(String recipient) throws Exception {
        assertThat(refusedFromOutside(recipient).raw()).startsWith("554 5.7.1");
    }

    /** RCPT from an outsider: the reply, after checking that DATA is refused and nothing was queued. */
    private static SmtpReply refusedFromOutside(String recipient) throws Exception {
        int queuedBefore = relay.queued().size();
        SmtpReply reply;
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("outsider.test");
            client.command("MAIL FROM:<spammer@example.org>");
            reply = client.command("RCPT TO:" + recipient);
            assertThat(client.command("DATA").code()).isIn(503, 554);
        }
        assertThat(relay.queued()).hasSize(queuedBefore);
        return reply;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<user@victim.example.>",
        "<user@victim..example>",
        "<user@victim.example",
        "user@victim.example",
        "<user@victim.example>>",
        "<\"user@victim.example>",
    })
    void malformedTricksAreRefusedBySyntax(String recipient) throws Exception {
        int queuedBefore = relay.queued().size();
        try (SmtpTestClient client = relay.connect("relay")) {
            client.readReply();
            client.ehlo("outsider.test");
            client.command("MAIL FROM:<spammer@example.org>");
            assertThat(client.command("RCPT TO:" + recipient).code()).isIn(501, 554, 555);
        }
        assertThat(relay.queued()).hasSize(queuedBefore);
    }

    /** More of the classic open-relay probes (percent hack chains, bang paths, literals, look-alikes). */
    @ParameterizedTest
    @ValueSource(strings = {
        "<Postmaster>",
        "<postmaster>",
        "<user@localhost>",
        "<user@localhost.localdomain>",
        "<user%victim.example%relay.test@relay.test>",
        "<victim.example!other.example!user@relay.test>",
        "<user@victim.example@relay.test>",
        "<\"victim@example.net\">",
        "<victim@[192.0.2.1]>",
        "<victim@[IPv6:2001:db8::1]>",
        "<user@[relay.test]>",
        "<@[127.0.0.1]:victim@example.net>",
        "<victim@exаmple.net>",
        "<victim@example.net> NOTIFY=NEVER",
        "<victim@example.net> ORCPT=rfc822;postmaster@relay.test",
        "<victim@EXAMPLE.NET>",
        "< victim@example.net>",
        "<victim@example.net >",
        "<victim@example.net\t>",
    })
    void furtherRelayProbesAreRefusedAndNothingIsQueued(String recipient) throws Exception {
        SmtpReply reply = refusedFromOutside(recipient);
        assertThat(reply.code()).as(reply.raw()).isIn(501, 550, 553, 554, 555);
    }

    @Test
    void authenticatedUserMayRelay() throws Exception {
        try (SmtpTestClient client = relay.connect("submission")) {
            client.readReply();
            client.ehlo("laptop.test");
            client.startTls(relay.clientTls(), TestRelay.HOSTNAME);
            SmtpReply ehlo = client.ehlo("laptop.test");
            assertThat(ehlo.extensionParameters("AUTH")).contains(java.util.List.of("PLAIN", "LOGIN"));
            String plain = java.util.Base64.getEncoder().encodeToString("\0alice\0correct horse".getBytes());
            assertThat(client.command("AUTH PLAIN " + plain).raw()).startsWith("235 2.7.0");
            client.command("MAIL FROM:<alice@example.org>");
            assertThat(client.command("RCPT TO:<friend@example.net>").code()).isEqualTo(250);
            assertThat(client.data("Subject: hi\r\n\r\nhello\r\n").code()).isEqualTo(250);
        }
        assertThat(relay.queued()).anyMatch(m -> m.sender().equals("alice@example.org"));
    }
}
