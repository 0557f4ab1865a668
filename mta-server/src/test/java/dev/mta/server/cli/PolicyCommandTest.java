package dev.mta.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.security.dane.CertificateUsage;
import dev.mta.security.dane.MatchingType;
import dev.mta.security.dane.Selector;
import dev.mta.security.dane.TlsaAssociation;
import dev.mta.testsupport.dns.TestDnsServer;
import dev.mta.testsupport.https.HttpsResponse;
import dev.mta.testsupport.https.TestHttpsServer;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** mta policy: the hosts, DNSSEC status, TLSA records and hop security, without sending mail. */
class PolicyCommandTest {
    private static final String CONFIG = "../conf/mta.conf";
    private static TestDnsServer dns;
    private static SmtpSinkServer mx;
    private static Path anchors;
    private static Path caFile;
    private static TestHttpsServer policyServer;

    @TempDir
    static Path dir;

    @BeforeAll
    static void lab() throws Exception {
        TestCertificates certificates = TestCertificates.ec();
        CertifiedKey key = certificates.leaf(certificates.ca("Lab CA"), "mx.secure.example");
        mx = SmtpSinkServer.builder().address("127.0.0.2").hostName("mx.secure.example").startTls(key.serverSslContext()).start();
        dns = TestDnsServer.startSigned();
        TlsaAssociation ee = TlsaAssociation.derive(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, key.certificate());
        TlsaAssociation pkix = TlsaAssociation.derive(CertificateUsage.PKIX_EE, Selector.SPKI, MatchingType.SHA2_256, key.certificate());
        String tlsa = "_" + mx.port() + "._tcp.mx.secure.example";
        dns.zone("secure.example").mx("secure.example", 10, "mx.secure.example").a("mx.secure.example", "127.0.0.2")
                .tlsa(tlsa, ee.usage(), ee.selector(), ee.matchingType(), ee.data())
                .tlsa(tlsa, pkix.usage(), pkix.selector(), pkix.matchingType(), pkix.data());
        dns.zone("bogus.example").mx("bogus.example", 10, "mx.secure.example").brokenSignature("bogus.example", Type.MX);
        anchors = Files.writeString(dir.resolve("anchors.txt"), dns.trustAnchor());
        // sts.example: MTA-STS in enforce mode and a TLS-RPT record; its policy server uses the lab CA.
        CertifiedKey ca = certificates.ca("Policy CA");
        caFile = Files.writeString(dir.resolve("policy-ca.pem"), ca.certificateChainPem());
        policyServer = TestHttpsServer.start(certificates.leaf(ca, "mta-sts.sts.example"));
        policyServer.respond("mta-sts.sts.example", "/.well-known/mta-sts.txt", HttpsResponse.policy(
                "version: STSv1\r\nmode: enforce\r\nmx: mx.secure.example\r\nmax_age: 86400\r\n"));
        dns.unsignedZone("sts.example").mx("sts.example", 10, "mx.secure.example")
                .txt("_mta-sts.sts.example", "v=STSv1; id=20261123")
                .txt("_smtp._tls.sts.example", "v=TLSRPTv1; rua=mailto:tlsrpt@sts.example,https://reports.sts.example/v1")
                .a("mta-sts.sts.example", policyServer.ipAddress());
        dns.unsignedZone("broken.example").mx("broken.example", 10, "mx.secure.example")
                .txt("_mta-sts.broken.example", "v=STSv1; id=1")
                .txt("_smtp._tls.broken.example", "v=TLSRPTv1; rua=ftp://nowhere.example");
    }

    @AfterAll
    static void close() {
        policyServer.close();
        mx.close();
        dns.close();
    }

    private static CliTest.Result policy(String... extra) {
        List<String> args = new ArrayList<>(List.of("policy"));
        args.addAll(List.of(extra));
        args.addAll(List.of("-c", CONFIG, "-o", "hostname=relay.test",
                "-o", "delivery.dns-servers=[\"127.0.0.1:" + dns.port() + "\"]",
                "-o", "delivery.trust-anchors=\"" + anchors + "\"",
                "-o", "delivery.port=" + mx.port(),
                "-o", "delivery.mta-sts-port=" + policyServer.port(),
                "-o", "delivery.tls-ca-file=\"" + caFile + "\"",
                "-o", "data-directory=\"" + dir.resolve("data") + "\""));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        System.out.println("$ mta " + String.join(" ", List.of(extra)) + "\n" + out + err);
        return new CliTest.Result(code, out.toString(), err.toString());
    }

    @Test
    void aSecureDomainShowsItsSignedMxTlsaRecordsAndDaneAndTheProbeAuthenticates() {
        CliTest.Result result = policy("secure.example", "--probe");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("MTA-STS: no policy")
                .contains("MX 10 mx.secure.example:" + mx.port() + "  (MX answer secure)")
                .contains("policy dane")
                .contains("addresses [127.0.0.2] (secure)")
                .contains("TLSA _" + mx.port() + "._tcp.mx.secure.example (secure)")
                .contains("  usable")
                .contains("unusable: ")
                .contains("security: dane (TLS mandatory, authenticated by 1 TLSA record(s); SNI mx.secure.example")
                .contains("probe 127.0.0.2: ok")
                .contains("tls dane-ee TLSv1.3")
                .contains("DANE-EE(3) SPKI(1) SHA2-256(1)");
        assertThat(mx.messages()).as("a probe sends no mail").isEmpty();
    }

    @Test
    void aBogusDomainIsDeferredAndNeverContacted() {
        int before = mx.connectionCount();
        CliTest.Result result = policy("bogus.example", "--probe");
        assertThat(result.code()).isEqualTo(ExitCodes.TEMPORARY_FAILURE);
        assertThat(result.out()).contains("defer 4.7.5").contains("failed DNSSEC validation (bogus)");
        assertThat(mx.connectionCount()).isEqualTo(before);
    }

    @Test
    void mtaStsShowsTheTxtRecordTheCacheAFreshFetchAndWhereTlsReportsGo() {
        CliTest.Result first = policy("sts.example");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out())
                .contains("MTA-STS TXT _mta-sts.sts.example: \"v=STSv1; id=20261123\" (id 20261123)")
                .contains("MTA-STS cached: none")
                .contains("MTA-STS fetch: ok, mode enforce, mx [mx.secure.example], id 20261123, max_age 86400s")
                .contains("MTA-STS: mode enforce, mx [mx.secure.example], id 20261123, expires ")
                .contains("TLS-RPT _smtp._tls.sts.example: reports to [mailto:tlsrpt@sts.example, https://reports.sts.example/v1]"
                        + " (this relay's TLS reports are off)")
                .contains("security: sts (MTA-STS enforce of sts.example");

        // The policy delivery fetched is now in the relay's cache, with its age.
        CliTest.Result second = policy("sts.example");
        assertThat(second.out()).contains("MTA-STS cached: mode enforce, mx [mx.secure.example], id 20261123, fetched ")
                .contains("(0m ago), expires ");
    }

    @Test
    void aPolicyThatCannotBeFetchedAndAnUnusableTlsRptRecordAreExplained() {
        CliTest.Result result = policy("broken.example");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("MTA-STS fetch: failed (sts-policy-fetch-error)")
                .contains("MTA-STS: policy published but not fetched")
                .contains("TLS-RPT _smtp._tls.broken.example: \"v=TLSRPTv1; rua=ftp://nowhere.example\": not a single valid"
                        + " v=TLSRPTv1 record");
    }

    @Test
    void aDomainWithoutRecordsSaysSo() {
        CliTest.Result result = policy("secure.example");
        assertThat(result.out()).contains("MTA-STS TXT _mta-sts.secure.example: none (NXDOMAIN)")
                .contains("MTA-STS fetch: not tried").contains("TLS-RPT _smtp._tls.secure.example: none (NXDOMAIN)");
    }
}
