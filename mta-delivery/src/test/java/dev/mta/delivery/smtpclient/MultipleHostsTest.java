package dev.mta.delivery.smtpclient;

import static dev.mta.delivery.smtpclient.Outbound.await;
import static dev.mta.delivery.smtpclient.Outbound.completed;
import static dev.mta.delivery.smtpclient.Outbound.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.SmtpSinkServer;
import org.junit.jupiter.api.Test;

/** Several MX hosts played by sinks on one port of different loopback addresses, and IPv6. */
class MultipleHostsTest {

    @Test
    void keepsHostsOnTheSamePortApartByAddress() throws Exception {
        try (SmtpSinkServer first = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx1.example.com").start();
             SmtpSinkServer second = SmtpSinkServer.builder().address("127.0.0.3").port(first.port())
                     .hostName("mx2.example.com").start();
             SmtpClient client = Outbound.client()) {
            Hop mx1 = new Hop("mx1.example.com", first.address(), TlsPolicy.none());
            Hop mx2 = new Hop("mx2.example.com", second.address(), TlsPolicy.none());

            SessionInfo one = completed(await(client.send(mx1, message("one\r\n", "a@example.com")))).session();
            SessionInfo two = completed(await(client.send(mx2, message("two\r\n", "b@example.com")))).session();

            assertThat(first.port()).isEqualTo(second.port());
            assertThat(one.greeting()).contains("mx1.example.com");
            assertThat(two.greeting()).contains("mx2.example.com");
            assertThat(first.awaitMessages(1, Outbound.PATIENCE).getFirst().dataAsString()).isEqualTo("one\r\n");
            assertThat(second.awaitMessages(1, Outbound.PATIENCE).getFirst().dataAsString()).isEqualTo("two\r\n");
        }
    }

    @Test
    void deliversOverIpv6() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder().address("::1").start(); SmtpClient client = Outbound.client()) {
            Hop hop = new Hop(Outbound.MX_HOST, sink.address(), TlsPolicy.none());

            SessionInfo session = completed(await(client.send(hop, message("x\r\n", "a@example.com")))).session();

            assertThat(session.address().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(sink.awaitMessages(1, Outbound.PATIENCE)).hasSize(1);
        }
    }
}
