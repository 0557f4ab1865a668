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
import dev.mta.security.policy.DestinationPolicy;
import dev.mta.security.policy.Fingerprint;
import dev.mta.security.policy.TlsLevel;
import dev.mta.testsupport.dns.TestZone;
import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.smtp.TlsHandshakeFailure;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * RFC 7672 over real SMTP and TLS, with zones signed at test time under a test root that the
 * relay validates from. Each scenario ends delivered authenticated, delivered encrypted, delivered
 * opportunistically, skipped to the next MX, or deferred. example.org is signed: MX 10 mx1, MX 20
 * mx2; solo.example (signed) has mx1 as its only MX, for the scenarios that must defer.
 */
class DaneScenarioTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static TestCertificates certificates;
    private static CertifiedKey ca;
    private static CertifiedKey mx1Key;
    private static CertifiedKey mx2Key;

    @TempDir
    Path dir;

    private LogCapture log;

    @BeforeAll
    static void certificates() {
        certificates = TestCertificates.ec();
        ca = certificates.ca("Lab CA");
        mx1Key = certificates.leaf(ca, "mx1.example.org");
        mx2Key = certificates.leaf(ca, "mx2.example.org");
    }

    @BeforeEach
    void captureLog() {
        log = new LogCapture();
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    private static SmtpSinkServer.Builder tls(CertifiedKey key) {
        return SmtpSinkServer.builder().startTls(key.serverSslContext());
    }

    private DeliveryHarness.Builder lab() {
        return DeliveryHarness.builder().signed().mx1(tls(mx1Key)).mx2(tls(mx2Key));
    }

    private static DeliveryHarness withSolo(DeliveryHarness relay) {
        relay.dns.zone("solo.example").mx("solo.example", 10, "mx1.example.org");
        return relay;
    }

    private static String tlsaName(DeliveryHarness relay, String host) {
        return "_" + relay.port + "._tcp." + host;
    }

    private static TestZone tlsa(DeliveryHarness relay, String zone, String host, TlsaAssociation record) {
        return relay.dns.zone(zone).tlsa(tlsaName(relay, host), record.usage(), record.selector(), record.matchingType(), record.data());
    }

    private static TlsaAssociation eeSpki(CertifiedKey key) {
        return TlsaAssociation.derive(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, key.certificate());
    }

    private static TlsaAssociation taCert(CertifiedKey issuer) {
        return TlsaAssociation.derive(CertificateUsage.DANE_TA, Selector.CERT, MatchingType.SHA2_256, issuer.certificate());
    }

    private RecipientStatus deliver(DeliveryHarness relay, String recipient) throws Exception {
        QueueId id = relay.queue("alice@sender.example", recipient);
        relay.pass();
        return relay.store.find(id).map(d -> d.recipients().getFirst()).orElse(null);
    }

    private String attemptLine(String recipient) {
        return log.lines().stream().filter(l -> l.contains("to=<" + recipient + ">")).reduce((a, b) -> b).orElseThrow();
    }

    private void assertDeferred(RecipientStatus status, String because) {
        assertThat(status).as("still queued").isNotNull();
        assertThat(status.state()).isEqualTo(RecipientState.DEFERRED);
        assertThat(status.lastReply()).hasValueSatisfying(r -> assertThat(r).contains(because));
    }

    // --- authenticated (RFC 7672 3.1) ---

    @Test
    void daneEeMatchingTheLeafKeyAuthenticatesWithSniTheMxHost() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx1Key));
            assertThat(deliver(relay, "bob@example.org")).isNull();
            ReceivedMessage received = relay.mx1().awaitMessages(1, WAIT).getFirst();
            assertThat(received.tls().orElseThrow().serverName()).contains("mx1.example.org");
            assertThat(attemptLine("bob@example.org")).contains("tls=dane-ee:TLSv1.3");
        }
    }

    @Test
    void daneEeWithAFullCertificateSha512Record() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            tlsa(relay, "example.org", "mx1.example.org",
                    TlsaAssociation.derive(CertificateUsage.DANE_EE, Selector.CERT, MatchingType.SHA2_512, mx1Key.certificate()));
            deliver(relay, "bob@example.org");
            assertThat(attemptLine("bob@example.org")).contains("tls=dane-ee");
        }
    }

    @Test
    void daneEeIgnoresExpiryAndNames() throws Exception {
        CertifiedKey expiredWrongName = certificates.expiredLeaf(ca, "somewhere.else.example");
        try (DeliveryHarness relay = DeliveryHarness.builder().signed().mx1(tls(expiredWrongName)).start(dir)) {
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(expiredWrongName));
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(attemptLine("bob@example.org")).contains("tls=dane-ee");
        }
    }

    @Test
    void daneTaMatchingTheIssuerAuthenticatesAndChecksTheLeafName() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            tlsa(relay, "example.org", "mx1.example.org", taCert(ca));
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(attemptLine("bob@example.org")).contains("tls=dane-ta");
        }
    }

    @Test
    void daneTaWithTheAnchorOnlyInTheRecord() throws Exception {
        // RFC 7671 5.2: a 2 1 0 record carries the anchor's key; the server leaves the root out.
        try (DeliveryHarness relay = DeliveryHarness.builder().signed().mx1(tls(mx1Key.withoutRoot())).start(dir)) {
            tlsa(relay, "example.org", "mx1.example.org",
                    TlsaAssociation.derive(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.FULL, ca.certificate()));
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(attemptLine("bob@example.org")).contains("tls=dane-ta");
        }
    }

    @Test
    void daneTaLeafNamedForTheNextHopDomainIsAccepted() throws Exception {
        // RFC 7672 3.2.2: the next-hop domain is a reference identifier too (a provider's shared MX).
        CertifiedKey namedForDomain = certificates.leaf(ca, "solo.example");
        try (DeliveryHarness relay = DeliveryHarness.builder().signed().mx1(tls(namedForDomain)).start(dir)) {
            withSolo(relay);
            tlsa(relay, "example.org", "mx1.example.org", taCert(ca));
            deliver(relay, "bob@solo.example");
            assertThat(attemptLine("bob@solo.example")).contains("tls=dane-ta");
        }
    }

    // --- authentication failures: the host is never used, the next may be (RFC 7672 2.2, 3.1) ---

    @Test
    void daneTaWithAWrongLeafNameSkipsToTheNextMx() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().signed()
                .mx1(tls(certificates.leafWithWrongNames(ca))).mx2(tls(mx2Key)).start(dir)) {
            tlsa(relay, "example.org", "mx1.example.org", taCert(ca));
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().messages()).isEmpty();
            assertThat(relay.mx2().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(log.all()).contains("relay=mx1.example.org[").contains("failed, next host: TLS with mx1.example.org")
                    .contains("do not match reference identifiers");
        }
    }

    @Test
    void aDaneEeMismatchOnTheOnlyMxDefers() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            withSolo(relay);
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx2Key));
            assertDeferred(deliver(relay, "bob@solo.example"), "DANE failed");
            assertThat(relay.mx1().messages()).isEmpty();
        }
    }

    @Test
    void withSha512AndSha256RecordsOnlyTheStrongerCounts() throws Exception {
        // RFC 7671 9: a wrong SHA2-512 record is not rescued by a right SHA2-256 one.
        try (DeliveryHarness relay = lab().start(dir)) {
            withSolo(relay);
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx1Key));
            tlsa(relay, "example.org", "mx1.example.org",
                    TlsaAssociation.derive(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_512, mx2Key.certificate()));
            assertDeferred(deliver(relay, "bob@solo.example"), "DANE failed");
        }
    }

    @Test
    void noStartTlsWhereTlsaDemandsItDefersAndNeverSendsInClearText() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().signed().start(dir)) {
            withSolo(relay);
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx1Key));
            assertDeferred(deliver(relay, "bob@solo.example"), "STARTTLS");
            assertThat(relay.mx1().messages()).isEmpty();
        }
    }

    @Test
    void aFailedHandshakeUnderDaneIsNotRetriedInClearText() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().signed()
                .mx1(SmtpSinkServer.builder().startTlsFailing(TlsHandshakeFailure.values()[0])).start(dir)) {
            withSolo(relay);
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx1Key));
            assertDeferred(deliver(relay, "bob@solo.example"), "TLS");
            assertThat(relay.mx1().messages()).isEmpty();
            assertThat(relay.mx1().connectionCount()).isEqualTo(1);
        }
    }

    // --- TLSA present but unusable, absent, or insecure ---

    @Test
    void onlyUnusableTlsaRecordsMeanMandatoryUnauthenticatedTls() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            tlsa(relay, "example.org", "mx1.example.org",
                    TlsaAssociation.derive(CertificateUsage.PKIX_EE, Selector.SPKI, MatchingType.SHA2_256, mx2Key.certificate()));
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(attemptLine("bob@example.org")).contains("tls=encrypted:TLSv1.3");
        }
    }

    @Test
    void onlyUnusableTlsaRecordsAndNoStartTlsDefers() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().signed().start(dir)) {
            withSolo(relay);
            tlsa(relay, "example.org", "mx1.example.org",
                    TlsaAssociation.derive(CertificateUsage.PKIX_EE, Selector.SPKI, MatchingType.SHA2_256, mx1Key.certificate()));
            assertDeferred(deliver(relay, "bob@solo.example"), "STARTTLS");
        }
    }

    @Test
    void aSecurelyDeniedTlsaRecordMeansOpportunisticTls() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(attemptLine("bob@example.org")).contains("tls=encrypted:");
        }
    }

    @Test
    void tlsaRecordsInAnUnsignedZoneAreIgnored() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            relay.dns.unsignedZone("insecure.example").mx("insecure.example", 10, "mx.insecure.example")
                    .a("mx.insecure.example", relay.mx1Address);
            TlsaAssociation wrong = eeSpki(mx2Key);
            relay.dns.unsignedZone("insecure.example").tlsa(tlsaName(relay, "mx.insecure.example"),
                    wrong.usage(), wrong.selector(), wrong.matchingType(), wrong.data());
            deliver(relay, "bob@insecure.example");
            assertThat(relay.mx1().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(attemptLine("bob@insecure.example")).contains("tls=encrypted:");
        }
    }

    @Test
    void anInsecureMxAnswerMeansNoDaneEvenForASecureHost() throws Exception {
        // RFC 7672 2.2.1: the MX RRset itself must be secure; a wrong TLSA record is then never consulted.
        try (DeliveryHarness relay = lab().start(dir)) {
            relay.dns.unsignedZone("plain.example").mx("plain.example", 10, "mx1.example.org");
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx2Key));
            deliver(relay, "bob@plain.example");
            assertThat(relay.mx1().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(attemptLine("bob@plain.example")).contains("tls=encrypted:");
        }
    }

    // --- bogus and failed DNS: defer, never downgrade (RFC 7672 2.1.1, 2.2) ---

    @Test
    void aBogusMxAnswerDefersTheDomainWithoutConnecting() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            relay.dns.zone("forged.example").mx("forged.example", 10, "mx1.example.org").brokenSignature("forged.example", Type.MX);
            assertDeferred(deliver(relay, "bob@forged.example"), "DNSSEC");
            assertThat(relay.mx1().connectionCount()).isZero();
        }
    }

    @Test
    void expiredSignaturesOnTheMxAnswerDefer() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            relay.dns.zone("stale.example").mx("stale.example", 10, "mx1.example.org").expiredSignatures();
            assertDeferred(deliver(relay, "bob@stale.example"), "DNSSEC");
            assertThat(relay.mx1().connectionCount()).isZero();
        }
    }

    @Test
    void aDsMismatchMakesTheZoneBogusAndDefers() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            relay.dns.zone("mismatch.example").mx("mismatch.example", 10, "mx1.example.org").dsMismatch();
            assertDeferred(deliver(relay, "bob@mismatch.example"), "DNSSEC");
        }
    }

    @Test
    void aBogusTlsaRecordSkipsThatHostForTheNextMx() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx1Key))
                    .brokenSignature(tlsaName(relay, "mx1.example.org"), Type.TLSA);
            tlsa(relay, "example.org", "mx2.example.org", eeSpki(mx2Key));
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().connectionCount()).isZero();
            assertThat(relay.mx2().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(attemptLine("bob@example.org")).contains("relay=mx2.example.org").contains("tls=dane-ee");
            assertThat(log.all()).contains("host=mx1.example.org skipped: TLSA lookup of " + tlsaName(relay, "mx1.example.org") + " failed");
        }
    }

    @Test
    void aFailedTlsaLookupSkipsTheHostAndWithNoOtherHostDefers() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            withSolo(relay);
            relay.dns.servfail(tlsaName(relay, "mx1.example.org"), Type.TLSA);
            assertDeferred(deliver(relay, "bob@solo.example"), "skipped mx1.example.org: TLSA lookup");
            assertThat(relay.mx1().connectionCount()).isZero();
        }
    }

    // --- TLSA base domain and CNAMEs (RFC 7672 2.2.3) ---

    @Test
    void tlsaRecordsAtTheCnameTargetWinAndTheTargetIsTheSni() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            relay.dns.zone("hosting.example").a("smtp.hosting.example", relay.mx1Address);
            relay.dns.zone("cname.example").mx("cname.example", 10, "mail.cname.example")
                    .cname("mail.cname.example", "smtp.hosting.example");
            tlsa(relay, "hosting.example", "smtp.hosting.example", eeSpki(mx1Key));
            deliver(relay, "bob@cname.example");
            ReceivedMessage received = relay.mx1().awaitMessages(1, WAIT).getFirst();
            assertThat(received.tls().orElseThrow().serverName()).contains("smtp.hosting.example");
            assertThat(attemptLine("bob@cname.example")).contains("tls=dane-ee");
        }
    }

    @Test
    void withoutTlsaAtTheCnameTargetTheOriginalNameIsTheBase() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            relay.dns.zone("hosting.example").a("smtp.hosting.example", relay.mx1Address);
            relay.dns.zone("cname.example").mx("cname.example", 10, "mail.cname.example")
                    .cname("mail.cname.example", "smtp.hosting.example");
            tlsa(relay, "cname.example", "mail.cname.example", eeSpki(mx1Key));
            deliver(relay, "bob@cname.example");
            ReceivedMessage received = relay.mx1().awaitMessages(1, WAIT).getFirst();
            assertThat(received.tls().orElseThrow().serverName()).contains("mail.cname.example");
            assertThat(attemptLine("bob@cname.example")).contains("tls=dane-ee");
        }
    }

    // --- MX order is never changed by security (RFC 7672 2.2.1) ---

    @Test
    void aWorseMxWithTlsaNeverPreemptsABetterOneWithout() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            tlsa(relay, "example.org", "mx2.example.org", eeSpki(mx2Key));
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(relay.mx2().messages()).isEmpty();
        }
    }

    // --- operator levels ---

    @Test
    void daneOnlyDefersAHostWithoutTlsa() throws Exception {
        try (DeliveryHarness relay = lab().policies(Map.of("solo.example", DestinationPolicy.of(TlsLevel.DANE_ONLY))).start(dir)) {
            withSolo(relay);
            assertDeferred(deliver(relay, "bob@solo.example"), "dane-only");
            assertThat(relay.mx1().connectionCount()).isZero();
        }
    }

    @Test
    void daneOnlyDeliversWhenTheHostAuthenticates() throws Exception {
        try (DeliveryHarness relay = lab().policies(Map.of("solo.example", DestinationPolicy.of(TlsLevel.DANE_ONLY))).start(dir)) {
            withSolo(relay);
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx1Key));
            assertThat(deliver(relay, "bob@solo.example")).isNull();
            assertThat(attemptLine("bob@solo.example")).contains("tls=dane-ee");
        }
    }

    @Test
    void levelNoneNeverStartsTls() throws Exception {
        try (DeliveryHarness relay = lab().policies(Map.of("example.org", DestinationPolicy.of(TlsLevel.NONE))).start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().awaitMessages(1, WAIT).getFirst().tls()).isEmpty();
            assertThat(attemptLine("bob@example.org")).contains("tls=none");
        }
    }

    @Test
    void levelEncryptDefersAServerWithoutStartTls() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().signed()
                .policies(Map.of("solo.example", DestinationPolicy.of(TlsLevel.ENCRYPT))).start(dir)) {
            withSolo(relay);
            assertDeferred(deliver(relay, "bob@solo.example"), "STARTTLS");
        }
    }

    @Test
    void levelVerifyChecksTheChainAndTheMxHostName() throws Exception {
        Path caFile = Files.writeString(dir.resolve("lab-ca.pem"), ca.certificateChainPem());
        try (DeliveryHarness relay = lab().pkixTrust(TrustStores.load(Optional.of(caFile)))
                .policies(Map.of("example.org", DestinationPolicy.of(TlsLevel.VERIFY))).start(dir)) {
            deliver(relay, "bob@example.org");
            assertThat(relay.mx1().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(attemptLine("bob@example.org")).contains("tls=verified");
        }
    }

    @Test
    void levelVerifyRefusesACertificateFromAnUntrustedCa() throws Exception {
        try (DeliveryHarness relay = lab().policies(Map.of("solo.example", DestinationPolicy.of(TlsLevel.VERIFY))).start(dir)) {
            withSolo(relay);
            assertDeferred(deliver(relay, "bob@solo.example"), "not trusted");
        }
    }

    @Test
    void levelSecureMatchesTheConfiguredNames() throws Exception {
        Path caFile = Files.writeString(dir.resolve("lab-ca.pem"), ca.certificateChainPem());
        try (DeliveryHarness relay = lab().pkixTrust(TrustStores.load(Optional.of(caFile))).policies(Map.of(
                "solo.example", new DestinationPolicy(TlsLevel.SECURE, List.of(".example.org"), List.of()),
                "example.org", new DestinationPolicy(TlsLevel.SECURE, List.of("mx9.example.org"), List.of()))).start(dir)) {
            withSolo(relay);
            assertThat(deliver(relay, "bob@solo.example")).isNull();
            assertThat(attemptLine("bob@solo.example")).contains("tls=verified");
            assertDeferred(deliver(relay, "carol@example.org"), "match none of");
        }
    }

    @Test
    void levelFingerprintDeliversToThePinnedKeyOnly() throws Exception {
        Fingerprint pinned = new Fingerprint("SHA-256", sha256(mx1Key.certificate().getPublicKey().getEncoded()));
        try (DeliveryHarness relay = lab().policies(Map.of(
                "solo.example", new DestinationPolicy(TlsLevel.FINGERPRINT, List.of(), List.of(pinned)),
                "example.org", new DestinationPolicy(TlsLevel.FINGERPRINT, List.of(), List.of(
                        new Fingerprint("SHA-256", sha256(mx2Key.certificate().getEncoded())))))).start(dir)) {
            withSolo(relay);
            assertThat(deliver(relay, "bob@solo.example")).isNull();
            assertThat(attemptLine("bob@solo.example")).contains("tls=fingerprint");
            // example.org's pin is mx2's certificate: mx1 is refused, mx2 takes it.
            deliver(relay, "carol@example.org");
            assertThat(relay.mx2().awaitMessages(1, WAIT)).hasSize(1);
        }
    }

    // --- REQUIRETLS (RFC 8689) ---

    @Test
    void aRequireTlsMessageGoesOverDaneToAHopThatOffersRequireTlsAndTakesTheParameterAlong() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            withSolo(relay);
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx1Key));
            relay.queueRequiringTls("alice@sender.example", "bob@solo.example");
            relay.pass();
            ReceivedMessage received = relay.mx1().awaitMessages(1, WAIT).getFirst();
            assertThat(received.mailParameters()).contains("REQUIRETLS");
            assertThat(attemptLine("bob@solo.example")).contains("tls=dane-ee");
        }
    }

    @Test
    void aRequireTlsMessageForAHostWithoutAuthenticationBouncesWith5730() throws Exception {
        // The bounce carries REQUIRETLS too (RFC 8689 4.3), so the sender's MX must be DANE-secured to get it.
        CertifiedKey senderKey = certificates.leaf(ca, "mx.sender.example");
        try (DeliveryHarness relay = lab().senderMx(tls(senderKey)).start(dir)) {
            withSolo(relay);
            tlsa(relay, "sender.example", "mx.sender.example", eeSpki(senderKey));
            relay.queueRequiringTls("alice@sender.example", "bob@solo.example");
            relay.pass();
            relay.pass();
            assertThat(relay.mx1().messages()).isEmpty();
            assertThat(relay.mx1().connectionCount()).as("not even opportunistic TLS is tried").isZero();
            assertThat(attemptLine("bob@solo.example")).contains("dsn=5.7.30").contains("status=bounced");
            ReceivedMessage bounce = relay.senderMx().awaitMessages(1, WAIT).getFirst();
            assertThat(bounce.mailFrom()).isEmpty();
            assertThat(bounce.mailParameters()).contains("REQUIRETLS");
            assertThat(bounce.tls()).isPresent();
            assertThat(bounce.dataAsString()).contains("text/rfc822-headers").contains("Subject: secret")
                    .doesNotContain("Only over authenticated TLS.");
        }
    }

    @Test
    void theBounceOfARequireTlsMessageIsNotSentInClearTextToTheSender() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            withSolo(relay);
            relay.queueRequiringTls("alice@sender.example", "bob@solo.example");
            relay.pass();
            relay.pass();
            assertThat(attemptLine("bob@solo.example")).contains("dsn=5.7.30");
            assertThat(relay.senderMx().messages()).as("sender.example has no authenticated TLS").isEmpty();
            assertThat(log.all()).contains("to=<alice@sender.example>").contains("REQUIRETLS: mx.sender.example cannot be authenticated");
        }
    }

    @Test
    void aRequireTlsMessageBouncesWhenTheAuthenticatedHopDoesNotOfferRequireTls() throws Exception {
        try (DeliveryHarness relay = DeliveryHarness.builder().signed()
                .mx1(tls(mx1Key).without(dev.mta.testsupport.smtp.SinkExtension.REQUIRETLS)).start(dir)) {
            withSolo(relay);
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx1Key));
            relay.queueRequiringTls("alice@sender.example", "bob@solo.example");
            relay.pass();
            assertThat(relay.mx1().messages()).isEmpty();
            assertThat(attemptLine("bob@solo.example")).contains("dsn=5.7.30").contains("does not support REQUIRETLS");
        }
    }

    // --- TLS-Required: No (RFC 8689 5) ---

    private static final String TLS_NOT_REQUIRED = "Subject: report\r\nTLS-Required:\r\n No\r\n\r\nAbout your TLS.\r\n";

    @Test
    void tlsRequiredNoLetsMailThroughWhereDaneWouldRefuse() throws Exception {
        try (DeliveryHarness relay = lab().start(dir)) {
            withSolo(relay);
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx2Key));
            relay.queue("alice@sender.example", List.of(dev.mta.queue.EnvelopeRecipient.of("bob@solo.example")), TLS_NOT_REQUIRED);
            relay.pass();
            assertThat(relay.mx1().awaitMessages(1, WAIT)).hasSize(1);
            assertThat(attemptLine("bob@solo.example")).contains("tls=encrypted:");
        }
    }

    @Test
    void tlsRequiredNoIsIgnoredWhenTheOperatorSaysSo() throws Exception {
        try (DeliveryHarness relay = lab().honourTlsRequiredNo(false).start(dir)) {
            withSolo(relay);
            tlsa(relay, "example.org", "mx1.example.org", eeSpki(mx2Key));
            QueueId id = relay.queue("alice@sender.example", List.of(dev.mta.queue.EnvelopeRecipient.of("bob@solo.example")),
                    TLS_NOT_REQUIRED);
            relay.pass();
            assertDeferred(relay.store.find(id).orElseThrow().recipients().getFirst(), "DANE failed");
        }
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    @SuppressWarnings("unused")
    private static String hex(X509Certificate certificate) throws Exception {
        return HexFormat.of().formatHex(sha256(certificate.getEncoded()));
    }
}
