package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.delivery.route.RelayCredentials;
import dev.mta.delivery.route.RelayHost;
import dev.mta.delivery.route.StaticRoute;
import dev.mta.delivery.route.StaticRoutes;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import dev.mta.testsupport.tls.TestTlsContexts;
import dev.mta.security.policy.TlsLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A static route chains the relay to a smarthost with AUTH over mandatory TLS. */
class RelayHostRouteTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private static SSLContext smarthostTls() {
        TestCertificates certificates = TestCertificates.ec();
        CertifiedKey ca = certificates.ca("Provider CA");
        return TestTlsContexts.server(certificates.leaf(ca, "mx2.example.org"));
    }

    @Test
    void everythingGoesThroughTheSmarthostWithAuthOverTls() throws Exception {
        DeliveryHarness.Builder builder = DeliveryHarness.builder()
                .mx2(SmtpSinkServer.builder().startTls(smarthostTls()).requireAuth("relay@org.example", "s3cret"));
        try (DeliveryHarness relay = builder.routesTo(h -> StaticRoutes.of(Map.of("*", new StaticRoute(
                RelayHost.parse("[mx2.example.org]:" + h.port),
                Optional.of(new RelayCredentials("relay@org.example", "s3cret")), Optional.of(TlsLevel.ENCRYPT))))).start(dir)) {
            relay.queue("alice@sender.example", "someone@elsewhere.example");
            relay.pass();
            ReceivedMessage received = relay.mx2().awaitMessages(1, WAIT).getFirst();
            assertThat(received.authenticatedUser()).contains("relay@org.example");
            assertThat(received.tls()).isPresent();
            assertThat(relay.mx1().messages()).isEmpty();
            assertThat(relay.store.list()).isEmpty();
        }
    }

    @Test
    void aWrongPasswordDefersAndKeepsTheMail() throws Exception {
        DeliveryHarness.Builder builder = DeliveryHarness.builder()
                .mx2(SmtpSinkServer.builder().startTls(smarthostTls()).requireAuth("relay@org.example", "s3cret"));
        try (DeliveryHarness relay = builder.routesTo(h -> StaticRoutes.of(Map.of("*", new StaticRoute(
                RelayHost.parse("[mx2.example.org]:" + h.port),
                Optional.of(new RelayCredentials("relay@org.example", "wrong")), Optional.of(TlsLevel.ENCRYPT))))).start(dir)) {
            QueueId id = relay.queue("alice@sender.example", "someone@elsewhere.example");
            relay.pass();
            assertThat(relay.mx2().messages()).isEmpty();
            assertThat(relay.store.find(id).orElseThrow().recipients().getFirst().state()).isEqualTo(RecipientState.DEFERRED);
        }
    }

    @Test
    void aRouteThatRequiresTlsNeverSendsInClearText() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().routesTo(h -> StaticRoutes.of(Map.of("*", new StaticRoute(
                RelayHost.parse("[mx1.example.org]:" + h.port), Optional.empty(), Optional.of(TlsLevel.ENCRYPT))))).start(dir)) {
            QueueId id = relay.queue("alice@sender.example", "someone@elsewhere.example");
            relay.pass();
            assertThat(relay.mx1().messages()).isEmpty();
            var status = relay.store.find(id).orElseThrow().recipients().getFirst();
            assertThat(status.state()).isEqualTo(RecipientState.DEFERRED);
            assertThat(status.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("STARTTLS"));
        }
    }
}
