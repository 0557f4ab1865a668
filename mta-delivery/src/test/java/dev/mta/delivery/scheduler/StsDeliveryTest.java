package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.delivery.tlspolicy.TrustStores;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import dev.mta.security.dane.CertificateUsage;
import dev.mta.security.dane.MatchingType;
import dev.mta.security.dane.Selector;
import dev.mta.security.dane.TlsaAssociation;
import dev.mta.security.mtasts.InMemoryStsPolicyStore;
import dev.mta.testsupport.https.HttpsResponse;
import dev.mta.testsupport.https.TestHttpsServer;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MTA-STS (RFC 8461) in delivery, over real DNS, HTTPS (the policy server) and SMTP with TLS:
 * example.org publishes _mta-sts TXT and a policy at mta-sts.example.org.
 */
class StsDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String POLICY_PATH = "/.well-known/mta-sts.txt";

    @TempDir
    Path dir;

    private TestCertificates certificates;
    private CertifiedKey ca;
    private CertifiedKey mx1Key;
    private Path caFile;
    private TestHttpsServer policyServer;
    private LogCapture log;

    @BeforeEach
    void lab() throws Exception {
        certificates = TestCertificates.ec();
        ca = certificates.ca("Lab CA");
        mx1Key = certificates.leaf(ca, "mx1.example.org");
        caFile = Files.writeString(dir.resolve("lab-ca.pem"), ca.certificateChainPem());
        policyServer = TestHttpsServer.start(certificates.leaf(ca, "mta-sts.example.org"));
        log = new LogCapture();
    }

    @AfterEach
    void close() {
        log.close();
        if (policyServer != null) {
            policyServer.close();
        }
    }

    private DeliveryHarness.Builder relay(SmtpSinkServer.Builder mx1, String policy, boolean signed) throws Exception {
        policyServer.respond("mta-sts.example.org", POLICY_PATH, HttpsResponse.policy(policy));
        DeliveryHarness.Builder builder = signed ? DeliveryHarness.builder().signed() : DeliveryHarness.builder();
        return builder.mx1(mx1).mx2(SmtpSinkServer.builder())
                .pkixTrust(TrustStores.load(Optional.of(caFile)))
                .mtaSts(policyServer, caFile, new InMemoryStsPolicyStore())
                .zones(h -> h.dns.zone("example.org")
                        .txt("_mta-sts.example.org", "v=STSv1; id=20261123T1200")
                        .a("mta-sts.example.org", policyServer.ipAddress()));
    }

    private static String policy(String mode, String... mx) {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String host : mx) {
            text.append("mx: ").append(host).append("\r\n");
        }
        return text.append("max_age: 86400\r\n").toString();
    }

    private String attemptLine(String recipient) {
        return log.lines().stream().filter(l -> l.contains("to=<" + recipient + ">")).reduce((a, b) -> b).orElseThrow();
    }

    private static RecipientStatus deliver(DeliveryHarness relay, String recipient) throws Exception {
        QueueId id = relay.queue("alice@sender.example", recipient);
        relay.pass();
        return relay.store.find(id).map(d -> d.recipients().getFirst()).orElse(null);
    }

    @Test
    void enforceWithAListedMxAndAValidCertificateDeliversOverVerifiedTls() throws Exception {
        try (DeliveryHarness relay = relay(SmtpSinkServer.builder().startTls(mx1Key.serverSslContext()),
                policy("enforce", "mx1.example.org", "*.example.org"), false).start(dir)) {
            assertThat(deliver(relay, "bob@example.org")).isNull();
            assertThat(relay.mx1().awaitMessages(1, WAIT).getFirst().tls()).isPresent();
            assertThat(attemptLine("bob@example.org")).contains("tls=sts:TLSv1.3");
            assertThat(policyServer.requests()).extracting(r -> r.path()).contains(POLICY_PATH);
        }
    }

    @Test
    void enforceSkipsMxHostsThePolicyDoesNotListAndDefersWithoutConnecting() throws Exception {
        try (DeliveryHarness relay = relay(SmtpSinkServer.builder().startTls(mx1Key.serverSslContext()),
                policy("enforce", "mx9.example.org"), false).start(dir)) {
            RecipientStatus status = deliver(relay, "bob@example.org");
            assertThat(status.state()).isEqualTo(RecipientState.DEFERRED);
            assertThat(status.lastReply()).hasValueSatisfying(r -> assertThat(r).contains("does not list"));
            assertThat(relay.mx1().connectionCount() + relay.mx2().connectionCount()).isZero();
        }
    }

    @Test
    void enforceRefusesASelfSignedMxCertificate() throws Exception {
        CertifiedKey selfSigned = certificates.selfSignedLeaf("mx1.example.org");
        try (DeliveryHarness relay = relay(SmtpSinkServer.builder().startTls(selfSigned.serverSslContext()),
                policy("enforce", "mx1.example.org"), false).start(dir)) {
            RecipientStatus status = deliver(relay, "bob@example.org");
            assertThat(status.state()).isEqualTo(RecipientState.DEFERRED);
            assertThat(relay.mx1().messages()).isEmpty();
            assertThat(log.all()).contains("relay=mx1.example.org[").contains("certificate chain is not trusted");
        }
    }

    @Test
    void testingModeDeliversAsBefore() throws Exception {
        CertifiedKey selfSigned = certificates.selfSignedLeaf("mx1.example.org");
        try (DeliveryHarness relay = relay(SmtpSinkServer.builder().startTls(selfSigned.serverSslContext()),
                policy("testing", "mx9.example.org"), false).start(dir)) {
            assertThat(deliver(relay, "bob@example.org")).isNull();
            assertThat(attemptLine("bob@example.org")).contains("tls=encrypted:");
        }
    }

    @Test
    void whereDaneAppliesDaneDecidesAndMtaStsIsNotConsulted() throws Exception {
        try (DeliveryHarness relay = relay(SmtpSinkServer.builder().startTls(mx1Key.serverSslContext()),
                policy("enforce", "mx9.example.org"), true).start(dir)) {
            TlsaAssociation ee = TlsaAssociation.derive(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256,
                    mx1Key.certificate());
            relay.dns.zone("example.org").tlsa("_" + relay.port + "._tcp.mx1.example.org", ee.usage(), ee.selector(),
                    ee.matchingType(), ee.data());
            assertThat(deliver(relay, "bob@example.org")).isNull();
            assertThat(attemptLine("bob@example.org")).contains("tls=dane-ee");
        }
    }

    @Test
    void aCachedPolicyProtectsWithoutAskingThePolicyServerAgain() throws Exception {
        try (DeliveryHarness relay = relay(SmtpSinkServer.builder().startTls(mx1Key.serverSslContext()),
                policy("enforce", "mx1.example.org"), false).start(dir)) {
            assertThat(deliver(relay, "bob@example.org")).isNull();
            policyServer.close();
            policyServer = null;
            assertThat(deliver(relay, "carol@example.org")).isNull();
            assertThat(attemptLine("carol@example.org")).contains("tls=sts:");
        }
    }
}
