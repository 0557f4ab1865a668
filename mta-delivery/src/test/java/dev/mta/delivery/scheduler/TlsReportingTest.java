package dev.mta.delivery.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.delivery.tlspolicy.TrustStores;
import dev.mta.queue.QueueId;
import dev.mta.security.dane.CertificateUsage;
import dev.mta.security.dane.MatchingType;
import dev.mta.security.dane.Selector;
import dev.mta.security.dane.TlsaAssociation;
import dev.mta.security.mtasts.InMemoryStsPolicyStore;
import dev.mta.security.policy.DestinationPolicy;
import dev.mta.security.policy.TlsLevel;
import dev.mta.security.tlsrpt.InMemoryTlsRptStore;
import dev.mta.security.tlsrpt.PolicyCounts;
import dev.mta.security.tlsrpt.PolicyType;
import dev.mta.security.tlsrpt.ReportKey;
import dev.mta.security.tlsrpt.ResultType;
import dev.mta.security.tlsrpt.SessionFailure;
import dev.mta.security.tlsrpt.TlsRptRecorder;
import dev.mta.security.tlsrpt.TlsRptSettings;
import dev.mta.testsupport.https.HttpsResponse;
import dev.mta.testsupport.https.TestHttpsServer;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.TlsHandshakeFailure;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * RFC 8460 4.3: every delivery session is counted under the policy it was held to, with the
 * result type of its failure, over real DNS (signed where DANE is involved), HTTPS and SMTP with
 * TLS. example.org: MX 10 mx1, MX 20 mx2.
 */
class TlsReportingTest {
    private static final String POLICY_PATH = "/.well-known/mta-sts.txt";
    private static final ReportKey EXAMPLE_ORG =
            new ReportKey(LocalDate.ofInstant(DeliveryHarness.START, ZoneOffset.UTC), "example.org");

    @TempDir
    Path dir;

    private TestCertificates certificates;
    private CertifiedKey ca;
    private CertifiedKey mx1Key;
    private CertifiedKey mx2Key;
    private Path caFile;
    private TestHttpsServer policyServer;
    private InMemoryTlsRptStore counts;

    @BeforeEach
    void lab() throws Exception {
        certificates = TestCertificates.ec();
        ca = certificates.ca("Lab CA");
        mx1Key = certificates.leaf(ca, "mx1.example.org");
        mx2Key = certificates.leaf(ca, "mx2.example.org");
        caFile = Files.writeString(dir.resolve("lab-ca.pem"), ca.certificateChainPem());
        policyServer = TestHttpsServer.start(certificates.leaf(ca, "mta-sts.example.org"));
        counts = new InMemoryTlsRptStore();
    }

    @AfterEach
    void close() {
        policyServer.close();
    }

    private DeliveryHarness.Builder relay(SmtpSinkServer.Builder mx1, SmtpSinkServer.Builder mx2) throws Exception {
        return DeliveryHarness.builder().mx1(mx1).mx2(mx2)
                .pkixTrust(TrustStores.load(Optional.of(caFile)))
                .tlsReports(new TlsRptRecorder(counts, TlsRptSettings.of("Relay Org", "tlsrpt@sender.example"),
                        java.time.Clock.fixed(DeliveryHarness.START, ZoneOffset.UTC)));
    }

    /** example.org announces an MTA-STS policy served by the test HTTPS server. */
    private DeliveryHarness.Builder withSts(DeliveryHarness.Builder builder, String mode, String... mx) {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String host : mx) {
            text.append("mx: ").append(host).append("\r\n");
        }
        policyServer.respond("mta-sts.example.org", POLICY_PATH, HttpsResponse.policy(text.append("max_age: 86400\r\n").toString()));
        return builder.mtaSts(policyServer, caFile, new InMemoryStsPolicyStore())
                .zones(h -> h.dns.zone("example.org")
                        .txt("_mta-sts.example.org", "v=STSv1; id=20261123T1200")
                        .a("mta-sts.example.org", policyServer.ipAddress()));
    }

    private static SmtpSinkServer.Builder tls(CertifiedKey key) {
        return SmtpSinkServer.builder().startTls(key.serverSslContext());
    }

    private static void deliver(DeliveryHarness relay, String... recipients) throws Exception {
        for (String recipient : recipients) {
            QueueId ignored = relay.queue("alice@sender.example", recipient);
        }
        relay.pass();
    }

    private PolicyCounts only(PolicyType type) {
        List<PolicyCounts> policies = counts.counts(EXAMPLE_ORG);
        assertThat(policies).extracting(p -> p.policy().type()).containsExactly(type);
        return policies.getFirst();
    }

    private static SessionFailure onlyFailure(PolicyCounts policy) {
        assertThat(policy.failures()).hasSize(1);
        return policy.failures().keySet().iterator().next();
    }

    // --- no policy (RFC 8460 4.4 no-policy-found) ---

    @Test
    void anOpportunisticSessionWithTlsCountsAsASuccessWithoutPolicy() throws Exception {
        try (DeliveryHarness relay = relay(tls(mx1Key), tls(mx2Key)).start(dir)) {
            deliver(relay, "bob@example.org");
            PolicyCounts policy = only(PolicyType.NO_POLICY_FOUND);
            assertThat(policy.successfulSessions()).isEqualTo(1);
            assertThat(policy.failures()).isEmpty();
            assertThat(policy.policy().policyStrings()).isEmpty();
        }
    }

    @Test
    void aServerWithoutStartTlsIsReportedAsStarttlsNotSupportedWithItsAddresses() throws Exception {
        try (DeliveryHarness relay = relay(SmtpSinkServer.builder(), SmtpSinkServer.builder()).start(dir)) {
            deliver(relay, "bob@example.org");
            SessionFailure failure = onlyFailure(only(PolicyType.NO_POLICY_FOUND));
            assertThat(failure.resultType()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
            assertThat(failure.receivingMxHostname()).contains("mx1.example.org");
            assertThat(failure.receivingIp()).contains(relay.mx1Address);
            assertThat(failure.receivingMxHelo()).contains("mx1.example.org");
            assertThat(failure.sendingMtaIp()).hasValueSatisfying(ip -> assertThat(ip).startsWith("127."));
        }
    }

    @Test
    void aFailedHandshakeFollowedByClearTextIsAFailureNotASuccess() throws Exception {
        try (DeliveryHarness relay = relay(SmtpSinkServer.builder().startTlsFailing(TlsHandshakeFailure.GARBAGE),
                SmtpSinkServer.builder()).start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().messages()).hasSize(1);
            PolicyCounts policy = only(PolicyType.NO_POLICY_FOUND);
            assertThat(policy.successfulSessions()).isZero();
            assertThat(onlyFailure(policy).resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
            assertThat(onlyFailure(policy).failureReasonCode()).isPresent();
        }
    }

    @Test
    void aReusedConnectionIsOneSessionNotOnePerMessage() throws Exception {
        try (DeliveryHarness relay = relay(tls(mx1Key), tls(mx2Key)).reuseIdleTime(Duration.ofSeconds(30)).start(dir)) {
            deliver(relay, "bob@example.org");
            deliver(relay, "carol@example.org");
            assertThat(relay.mx1().messages()).hasSize(2);
            assertThat(relay.mx1().connectionCount()).isEqualTo(1);
            assertThat(only(PolicyType.NO_POLICY_FOUND).successfulSessions()).isEqualTo(1);
        }
    }

    @Test
    void aDestinationWithTlsTurnedOffByTheOperatorIsNotReported() throws Exception {
        try (DeliveryHarness relay = relay(tls(mx1Key), tls(mx2Key))
                .policies(Map.of("example.org", DestinationPolicy.of(TlsLevel.NONE))).start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().messages()).hasSize(1);
            assertThat(counts.counts(EXAMPLE_ORG)).isEmpty();
        }
    }

    // --- MTA-STS (RFC 8460 4.4 policy-type sts) ---

    @Test
    void anEnforcedStsSessionCarriesThePolicyAsItsStrings() throws Exception {
        try (DeliveryHarness relay = withSts(relay(tls(mx1Key), tls(mx2Key)), "enforce", "mx1.example.org", "mx2.example.org")
                .start(dir)) {
            deliver(relay, "bob@example.org");
            PolicyCounts policy = only(PolicyType.STS);
            assertThat(policy.successfulSessions()).isEqualTo(1);
            assertThat(policy.policy().policyStrings()).containsExactly("version: STSv1", "mode: enforce",
                    "mx: mx1.example.org", "mx: mx2.example.org", "max_age: 86400");
            assertThat(policy.policy().mxHosts()).containsExactly("mx1.example.org", "mx2.example.org");
        }
    }

    @Test
    void anUntrustedCertificateUnderEnforceIsCertificateNotTrusted() throws Exception {
        try (DeliveryHarness relay = withSts(relay(SmtpSinkServer.builder().startTls(
                certificates.selfSignedLeaf("mx1.example.org").serverSslContext()), tls(mx2Key)), "enforce",
                "mx1.example.org", "mx2.example.org").start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(relay.mx2().messages()).hasSize(1);
            PolicyCounts policy = only(PolicyType.STS);
            assertThat(policy.successfulSessions()).isEqualTo(1);
            SessionFailure failure = onlyFailure(policy);
            assertThat(failure.resultType()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
            assertThat(failure.receivingMxHostname()).contains("mx1.example.org");
        }
    }

    @Test
    void anExpiredCertificateIsCertificateExpired() throws Exception {
        try (DeliveryHarness relay = withSts(relay(SmtpSinkServer.builder().startTls(
                certificates.expiredLeaf(ca, "mx1.example.org").serverSslContext()), tls(mx2Key)), "enforce",
                "mx1.example.org", "mx2.example.org").start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(onlyFailure(only(PolicyType.STS)).resultType()).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
        }
    }

    @Test
    void aCertificateForAnotherNameIsCertificateHostMismatch() throws Exception {
        try (DeliveryHarness relay = withSts(relay(SmtpSinkServer.builder().startTls(
                certificates.leafWithWrongNames(ca).serverSslContext()), tls(mx2Key)), "enforce",
                "mx1.example.org", "mx2.example.org").start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(onlyFailure(only(PolicyType.STS)).resultType()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
        }
    }

    @Test
    void anMxHostTheEnforcedPolicyDoesNotListIsAValidationFailure() throws Exception {
        try (DeliveryHarness relay = withSts(relay(tls(mx1Key), tls(mx2Key)), "enforce", "mx2.example.org").start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().connectionCount()).isZero();
            PolicyCounts policy = only(PolicyType.STS);
            assertThat(policy.successfulSessions()).isEqualTo(1);
            SessionFailure failure = onlyFailure(policy);
            assertThat(failure.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
            assertThat(failure.failureReasonCode()).contains("mx-not-in-policy");
            assertThat(failure.receivingMxHostname()).contains("mx1.example.org");
        }
    }

    @Test
    void testingModeDeliversButReportsWhatEnforceWouldHaveRefused() throws Exception {
        try (DeliveryHarness relay = withSts(relay(SmtpSinkServer.builder().startTls(
                certificates.selfSignedLeaf("mx1.example.org").serverSslContext()), tls(mx2Key)), "testing",
                "mx1.example.org").start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().messages()).hasSize(1);
            SessionFailure failure = onlyFailure(only(PolicyType.STS));
            assertThat(failure.resultType()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
            assertThat(only(PolicyType.STS).policy().policyStrings()).contains("mode: testing");
        }
    }

    @Test
    void testingModeReportsAnUnlistedMxHostEvenWithAGoodCertificate() throws Exception {
        try (DeliveryHarness relay = withSts(relay(tls(mx1Key), tls(mx2Key)), "testing", "mx9.example.org").start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().messages()).hasSize(1);
            SessionFailure failure = onlyFailure(only(PolicyType.STS));
            assertThat(failure.resultType()).isEqualTo(ResultType.VALIDATION_FAILURE);
            assertThat(failure.failureReasonCode()).contains("mx-not-in-policy");
        }
    }

    @Test
    void testingModeWithAGoodCertificateAndAListedHostIsASuccess() throws Exception {
        try (DeliveryHarness relay = withSts(relay(tls(mx1Key), tls(mx2Key)), "testing", "mx1.example.org").start(dir)) {
            deliver(relay, "bob@example.org");
            PolicyCounts policy = only(PolicyType.STS);
            assertThat(policy.successfulSessions()).isEqualTo(1);
            assertThat(policy.failures()).isEmpty();
        }
    }

    @Test
    void anAnnouncedPolicyThatCannotBeFetchedIsAStsPolicyFetchError() throws Exception {
        try (DeliveryHarness relay = withSts(relay(tls(mx1Key), tls(mx2Key)), "enforce", "mx1.example.org").start(dir)) {
            policyServer.respond("mta-sts.example.org", POLICY_PATH, HttpsResponse.status(404));
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().messages()).hasSize(1);
            PolicyCounts policy = only(PolicyType.STS);
            SessionFailure failure = onlyFailure(policy);
            assertThat(failure.resultType()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
            assertThat(failure.receivingMxHostname()).isEmpty();
            assertThat(policy.policy().policyStrings()).isEmpty();
        }
    }

    @Test
    void anAnnouncedPolicyThatDoesNotParseIsAStsPolicyInvalid() throws Exception {
        try (DeliveryHarness relay = withSts(relay(tls(mx1Key), tls(mx2Key)), "enforce", "mx1.example.org").start(dir)) {
            policyServer.respond("mta-sts.example.org", POLICY_PATH, HttpsResponse.policy("version: STSv1\r\nmode: sometimes\r\n"));
            deliver(relay, "bob@example.org");
            assertThat(onlyFailure(only(PolicyType.STS)).resultType()).isEqualTo(ResultType.STS_POLICY_INVALID);
        }
    }

    @Test
    void aPolicyServerWithAnUntrustedCertificateIsStsWebpkiInvalid() throws Exception {
        policyServer.close();
        policyServer = TestHttpsServer.start(certificates.selfSignedLeaf("mta-sts.example.org"));
        try (DeliveryHarness relay = withSts(relay(tls(mx1Key), tls(mx2Key)), "enforce", "mx1.example.org").start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().messages()).as("no policy could be had: delivered as without one").hasSize(1);
            assertThat(onlyFailure(only(PolicyType.STS)).resultType()).isEqualTo(ResultType.STS_WEBPKI_INVALID);
        }
    }

    // --- DANE (RFC 8460 4.4 policy-type tlsa) ---

    private static TlsaAssociation eeSpki(CertifiedKey key) {
        return TlsaAssociation.derive(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, key.certificate());
    }

    private static void tlsa(DeliveryHarness relay, String host, TlsaAssociation record) {
        relay.dns.zone("example.org").tlsa("_" + relay.port + "._tcp." + host, record.usage(), record.selector(),
                record.matchingType(), record.data());
    }

    @Test
    void aDaneSessionCarriesTheTlsaRecordsAsItsStrings() throws Exception {
        try (DeliveryHarness relay = relay(tls(mx1Key), tls(mx2Key)).signed().start(dir)) {
            tlsa(relay, "mx1.example.org", eeSpki(mx1Key));
            deliver(relay, "bob@example.org");
            PolicyCounts policy = only(PolicyType.TLSA);
            assertThat(policy.successfulSessions()).isEqualTo(1);
            assertThat(policy.policy().policyStrings()).containsExactly(eeSpki(mx1Key).presentation());
        }
    }

    @Test
    void aCertificateNoTlsaRecordMatchesIsTlsaInvalid() throws Exception {
        try (DeliveryHarness relay = relay(tls(mx1Key), tls(mx2Key)).signed().start(dir)) {
            tlsa(relay, "mx1.example.org", eeSpki(mx2Key));
            tlsa(relay, "mx2.example.org", eeSpki(mx2Key));
            deliver(relay, "bob@example.org");
            assertThat(relay.mx2().messages()).hasSize(1);
            List<PolicyCounts> policies = counts.counts(EXAMPLE_ORG);
            assertThat(policies).hasSize(1); // both hosts have the same TLSA record set content
            SessionFailure failure = onlyFailure(policies.getFirst());
            assertThat(failure.resultType()).isEqualTo(ResultType.TLSA_INVALID);
            assertThat(failure.receivingMxHostname()).contains("mx1.example.org");
            assertThat(policies.getFirst().successfulSessions()).isEqualTo(1);
        }
    }

    @Test
    void aFailedTlsaLookupIsDnssecInvalid() throws Exception {
        try (DeliveryHarness relay = relay(tls(mx1Key), tls(mx2Key)).signed().start(dir)) {
            relay.dns.servfail("_" + relay.port + "._tcp.mx1.example.org", Type.TLSA);
            relay.dns.servfail("_" + relay.port + "._tcp.mx2.example.org", Type.TLSA);
            deliver(relay, "bob@example.org");
            PolicyCounts policy = only(PolicyType.TLSA);
            assertThat(policy.failures()).hasSize(2);
            assertThat(policy.failures().keySet()).allMatch(f -> f.resultType() == ResultType.DNSSEC_INVALID);
            assertThat(policy.failedSessions()).isEqualTo(2);
        }
    }

    @Test
    void daneOnlyWithoutTlsaRecordsIsDaneRequired() throws Exception {
        try (DeliveryHarness relay = relay(tls(mx1Key), tls(mx2Key)).signed()
                .policies(Map.of("example.org", DestinationPolicy.of(TlsLevel.DANE_ONLY))).start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().connectionCount()).isZero();
            PolicyCounts policy = only(PolicyType.TLSA);
            assertThat(policy.failures().keySet()).extracting(SessionFailure::resultType)
                    .containsOnly(ResultType.DANE_REQUIRED);
            assertThat(policy.failedSessions()).isEqualTo(2);
        }
    }
}
