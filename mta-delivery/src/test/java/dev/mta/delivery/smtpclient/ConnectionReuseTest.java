package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.await;
import static dev.mta.delivery.smtpclient.Outbound.completed;
import static dev.mta.delivery.smtpclient.Outbound.hop;
import static dev.mta.delivery.smtpclient.Outbound.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ConnectionLog;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.ReplyPoint;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.tls.TestCertificates;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sessions kept idle per hop and reused, within the idle time and the message limit. */
class ConnectionReuseTest {

    private static SmtpClient client(Duration idleTime, int maxMessages) {
        return new SmtpClient(Outbound.settings().withReuseIdleTime(idleTime).withMaxMessagesPerConnection(maxMessages));
    }

    @Test
    void sendsTheNextMessageToTheSameHopOverTheIdleSession() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ofSeconds(30), 10)) {
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));
            assertThat(client.idleConnections(hop(sink))).isEqualTo(1);

            await(client.send(hop(sink), message("two\r\n", "b@example.com")));

            assertThat(sink.messages()).extracting(ReceivedMessage::dataAsString).containsExactly("one\r\n", "two\r\n");
            assertThat(sink.connectionCount()).isEqualTo(1);
            ConnectionLog connection = sink.connections().getFirst();
            assertThat(connection.messages()).isEqualTo(2);
            // No second EHLO and no RSET between transactions.
            assertThat(connection.commands()).containsExactly("EHLO", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA");
        }
    }

    @Test
    void keepsTlsAcrossReusedTransactions() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder()
                .startTls(TestCertificates.ec().selfSignedLeaf(Outbound.MX_HOST).serverSslContext()).start();
             SmtpClient client = client(Duration.ofSeconds(30), 10)) {
            Hop hop = hop(sink, TlsPolicy.opportunistic());
            await(client.send(hop, message("one\r\n", "a@example.com")));

            SessionInfo second = completed(await(client.send(hop, message("two\r\n", "b@example.com")))).session();

            assertThat(second.encrypted()).isTrue();
            assertThat(sink.connectionCount()).isEqualTo(1);
            assertThat(sink.awaitMessages(2, Outbound.PATIENCE)).allMatch(m -> m.tls().isPresent());
        }
    }

    @Test
    void reusesTheSessionAfterARefusedTransaction() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ofSeconds(30), 10)) {
            sink.replyToRecipient("nobody@example.com", 550, "5.1.1 No such user");
            await(client.send(hop(sink), message("one\r\n", "nobody@example.com")));

            await(client.send(hop(sink), message("two\r\n", "b@example.com")));

            assertThat(sink.connectionCount()).isEqualTo(1);
            assertThat(sink.awaitMessages(1, Outbound.PATIENCE).getFirst().dataAsString()).isEqualTo("two\r\n");
        }
    }

    @Test
    void doesNotShareSessionsBetweenDifferentHops() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ofSeconds(30), 10)) {
            Hop plain = hop(sink, TlsPolicy.none());
            Hop otherName = new Hop("mx2.example.com", sink.address(), TlsPolicy.none());
            Hop otherPolicy = hop(sink, TlsPolicy.opportunistic());

            await(client.send(plain, message("one\r\n", "a@example.com")));
            await(client.send(otherName, message("two\r\n", "a@example.com")));
            await(client.send(otherPolicy, message("three\r\n", "a@example.com")));

            assertThat(sink.connectionCount()).isEqualTo(3);
            assertThat(client.openConnections()).containsOnly(Map.entry(plain, 1), Map.entry(otherName, 1),
                    Map.entry(otherPolicy, 1));
        }
    }

    @Test
    void saysQuitWhenTheIdleTimeHasPassed() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ofMillis(200), 10)) {
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));

            ConnectionLog first = sink.awaitConnectionClosed(1, Outbound.PATIENCE);
            assertThat(first.quitReceived()).isTrue();
            assertThat(client.idleConnections(hop(sink))).isZero();

            await(client.send(hop(sink), message("two\r\n", "a@example.com")));
            assertThat(sink.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void doesNotKeepSessionsWhenReuseIsOff() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ZERO, 10)) {
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));

            assertThat(sink.awaitConnectionClosed(1, Outbound.PATIENCE).quitReceived()).isTrue();
        }
    }

    @Test
    void opensANewConnectionAfterTheMessageLimit() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ofSeconds(30), 2)) {
            for (int i = 0; i < 3; i++) {
                await(client.send(hop(sink), message("m" + i + "\r\n", "a@example.com")));
            }

            ConnectionLog first = sink.awaitConnectionClosed(1, Outbound.PATIENCE);
            assertThat(first.messages()).isEqualTo(2);
            assertThat(first.quitReceived()).isTrue();
            assertThat(sink.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void replacesAnIdleSessionThatTheServerEndedWithA421() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ofSeconds(30), 10)) {
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));
            // The server has given up on the idle session: its next MAIL gets 421 and a close.
            sink.replyOnConnection(1, ReplyPoint.MAIL, 421, "4.4.2 Idle for too long");

            TransactionResult second = await(client.send(hop(sink), message("two\r\n", "b@example.com")));

            assertThat(completed(second).recipients()).allMatch(RecipientResult::delivered);
            assertThat(sink.connectionCount()).isEqualTo(2);
            assertThat(sink.messages()).extracting(ReceivedMessage::connection).containsExactly(1, 2);
        }
    }

    @Test
    void replacesAnIdleSessionThatTheServerDropped() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ofSeconds(30), 10)) {
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));
            sink.dropConnections();

            // Whether the client has noticed the close yet or finds out when it sends MAIL, the
            // message goes out over a new connection.
            TransactionResult second = await(client.send(hop(sink), message("two\r\n", "b@example.com")));

            assertThat(completed(second).recipients()).allMatch(RecipientResult::delivered);
            assertThat(sink.messages()).extracting(ReceivedMessage::connection).containsExactly(1, 2);
        }
    }

    @Test
    void triesANewConnectionOnlyOnceForADeadSession() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ofSeconds(30), 10)) {
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));
            // Now every MAIL gets 421: the reused session and the new one alike.
            sink.replyToMail(421, "4.3.2 Shutting down");

            TransactionResult.Failed failed = Outbound.failed(await(client.send(hop(sink), message("two\r\n", "b@example.com"))));

            assertThat(failed.stage()).isEqualTo(Stage.MAIL);
            assertThat(sink.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void countsOpenConnectionsPerHop() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start(); SmtpClient client = client(Duration.ofSeconds(30), 10)) {
            assertThat(client.openConnections(hop(sink))).isZero();
            sink.delay(ReplyPoint.END_OF_DATA, Duration.ofMillis(300));

            var first = client.send(hop(sink), message("one\r\n", "a@example.com"));
            var second = client.send(hop(sink), message("two\r\n", "a@example.com"));
            await(first);
            await(second);

            assertThat(client.openConnections(hop(sink))).isEqualTo(2);
            assertThat(client.idleConnections(hop(sink))).isEqualTo(2);
        }
    }

    @Test
    void closeSaysQuitOnIdleSessions() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.start()) {
            SmtpClient client = client(Duration.ofSeconds(30), 10);
            await(client.send(hop(sink), message("one\r\n", "a@example.com")));

            client.close();

            assertThat(sink.awaitConnectionClosed(1, Outbound.PATIENCE).quitReceived()).isTrue();
            assertThat(client.openConnections()).isEmpty();
        }
    }
}
