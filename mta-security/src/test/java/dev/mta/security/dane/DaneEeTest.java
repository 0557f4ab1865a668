package dev.mta.security.dane;

import static dev.mta.security.dane.Records.CERT;
import static dev.mta.security.dane.Records.DANE_EE;
import static dev.mta.security.dane.Records.FULL;
import static dev.mta.security.dane.Records.SHA2_256;
import static dev.mta.security.dane.Records.SHA2_512;
import static dev.mta.security.dane.Records.SPKI;
import static dev.mta.security.dane.Records.daneEe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.security.dane.DaneVerdict.Authenticated;
import dev.mta.security.dane.DaneVerdict.Failed;
import dev.mta.security.dane.DaneVerdict.Failure;
import dev.mta.testsupport.tls.CaChain;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import dev.mta.testsupport.tls.Validity;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** DANE-EE(3): RFC 7672 3.1.1 and 3.2.1. The leaf or its key matches, and nothing else is asked. */
class DaneEeTest {

    private static final ReferenceIdentifiers MX = ReferenceIdentifiers.forMxHost("mx.example.com", "mx.example.com", "example.com");

    private final TestCertificates certificates = TestCertificates.ec();
    private final Instant now = Instant.now();

    @Test
    void spkiSha256Match() {
        CertifiedKey leaf = certificates.selfSignedLeaf("mx.example.com");
        TlsaAssociation record = daneEe(SPKI, SHA2_256, leaf.certificate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(record), leaf.chain(), MX, now);

        assertThat(verdict).isEqualTo(new Authenticated(CertificateUsage.DANE_EE, record,
                OptionalInt.of(0), Optional.empty()));
        assertThat(verdict.summary()).isEqualTo("DANE " + record.describe() + " matched the leaf certificate");
    }

    @Test
    void fullCertificateMatch() {
        CertifiedKey leaf = certificates.selfSignedLeaf("mx.example.com");
        TlsaAssociation record = daneEe(CERT, FULL, leaf.certificate());

        assertThat(DaneVerifier.verify(List.of(record), leaf.chain(), MX, now)).isInstanceOf(Authenticated.class);
    }

    @Test
    void certificateSha512Match() {
        CertifiedKey leaf = certificates.selfSignedLeaf("mx.example.com");
        TlsaAssociation record = daneEe(CERT, SHA2_512, leaf.certificate());

        assertThat(DaneVerifier.verify(List.of(record), leaf.chain(), MX, now)).isInstanceOf(Authenticated.class);
    }

    @Test
    void fullSpkiMatch() {
        CertifiedKey leaf = TestCertificates.rsa().selfSignedLeaf("mx.example.com");
        TlsaAssociation record = daneEe(SPKI, FULL, leaf.certificate());

        assertThat(DaneVerifier.verify(List.of(record), leaf.chain(), MX, now)).isInstanceOf(Authenticated.class);
    }

    @Test
    void daneEeMatchesTheLeafKeyEvenWhenTheCertificateExpired() {
        // RFC 7672 3.1.1: the validity period of a DANE-EE(3) certificate is ignored; the TLSA
        // record is what says the key is current.
        CertifiedKey ca = certificates.ca("Private CA");
        CertifiedKey expired = certificates.expiredLeaf(ca, "mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneEe(SPKI, SHA2_256, expired.certificate())),
                expired.chain(), MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
    }

    @Test
    void daneEeIgnoresTheNames() {
        // RFC 7672 3.2.1: no name checks with DANE-EE(3); the record at the TLSA base domain binds the key.
        CertifiedKey leaf = certificates.selfSignedLeaf(TestCertificates.WRONG_NAME);

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneEe(SPKI, SHA2_256, leaf.certificate())),
                leaf.chain(), MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
        assertThat(((Authenticated) verdict).nameMatch()).isEmpty();
    }

    @Test
    void daneEeIgnoresTheChainAndItsIssuer() {
        // The leaf's issuer is absent and the rest of the chain belongs to someone else: irrelevant.
        CertifiedKey leaf = certificates.leaf(certificates.ca("Unknown CA"), "mx.example.com");
        CaChain strangers = certificates.caChain("other.example.net");
        List<X509Certificate> chain = List.of(leaf.certificate(), strangers.intermediate().certificate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneEe(SPKI, SHA2_256, leaf.certificate())), chain, MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
    }

    @Test
    void daneEeIgnoresKeyUsage() {
        // A leaf whose key usage allows only certificate signing, which TLS would not use it for.
        CertifiedKey caAsLeaf = certificates.ca("mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneEe(SPKI, SHA2_256, caAsLeaf.certificate())),
                caAsLeaf.chain(), MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
    }

    @Test
    void anSpkiRecordStillMatchesACertificateRenewedWithTheSameKey() {
        // RFC 7671 8.1 (and 3.1.1's advice for SPKI(1)): a new certificate on the same key needs no new record,
        // while a Cert(0) record names the old certificate only.
        CertifiedKey original = certificates.selfSignedLeaf("mx.example.com");
        X509Certificate renewed = selfSignedWithKeyOf(original, "CN=mx.example.com");
        List<TlsaAssociation> spki = List.of(daneEe(SPKI, SHA2_256, original.certificate()));
        List<TlsaAssociation> cert = List.of(daneEe(CERT, SHA2_256, original.certificate()));

        assertThat(DaneVerifier.verify(spki, List.of(renewed), MX, now)).isInstanceOf(Authenticated.class);
        assertThat(DaneVerifier.verify(cert, List.of(renewed), MX, now)).isInstanceOf(Failed.class);
    }

    @Test
    void anotherKeyMatchesNoRecord() {
        CertifiedKey published = certificates.selfSignedLeaf("mx.example.com");
        CertifiedKey presented = certificates.selfSignedLeaf("mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneEe(SPKI, SHA2_256, published.certificate())),
                presented.chain(), MX, now);

        assertThat(verdict).isInstanceOf(Failed.class);
        Failed failed = (Failed) verdict;
        assertThat(failed.failure()).isEqualTo(Failure.NO_MATCH);
        assertThat(failed.reason()).startsWith("no TLSA record matched: no DANE-EE(3) record matched the leaf certificate")
                .contains(HexFormat.of().withUpperCase()
                        .formatHex(daneEe(SPKI, SHA2_256, presented.certificate()).data()));
    }

    @Test
    void daneEeDoesNotMatchAnIntermediate() {
        // RFC 7672 3.1.1: DANE-EE(3) is about the server's own certificate only.
        CaChain chain = certificates.caChain("mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneEe(SPKI, SHA2_256, chain.intermediate().certificate())),
                chain.leaf().chain(), MX, now);

        assertThat(verdict).isInstanceOf(Failed.class);
        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.NO_MATCH);
    }

    @Test
    void aMatchingSha256RecordIsIgnoredWhenSha512RecordsArePublished() {
        // RFC 7671 9 applied by the verifier itself: the SHA2-512 record is for another key, so the
        // weaker SHA2-256 match must not authenticate.
        CertifiedKey leaf = certificates.selfSignedLeaf("mx.example.com");
        CertifiedKey other = certificates.selfSignedLeaf("mx.example.com");
        List<TlsaAssociation> records = List.of(daneEe(SPKI, SHA2_256, leaf.certificate()),
                daneEe(SPKI, SHA2_512, other.certificate()));

        DaneVerdict verdict = DaneVerifier.verify(records, leaf.chain(), MX, now);

        assertThat(verdict).isInstanceOf(Failed.class);
        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.NO_MATCH);
    }

    @Test
    void anyMatchingRecordOfTheSetAuthenticates() {
        // RFC 6698 4.1: the chain is good when one usable record matches, e.g. during a key rollover.
        CertifiedKey next = certificates.selfSignedLeaf("mx.example.com");
        CertifiedKey current = certificates.selfSignedLeaf("mx.example.com");
        TlsaAssociation currentRecord = daneEe(SPKI, SHA2_256, current.certificate());
        List<TlsaAssociation> records = List.of(daneEe(SPKI, SHA2_256, next.certificate()), currentRecord);

        DaneVerdict verdict = DaneVerifier.verify(records, current.chain(), MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
        assertThat(((Authenticated) verdict).record()).isEqualTo(currentRecord);
    }

    @Test
    void notYetValidDoesNotMatterEither() {
        CertifiedKey ca = certificates.ca("Private CA");
        CertifiedKey future = certificates.leaf(ca, "mx.example.com", List.of("mx.example.com"), Validity.notYetValid());

        assertThat(DaneVerifier.verify(List.of(daneEe(CERT, SHA2_256, future.certificate())), future.chain(), MX,
                now.minus(Duration.ofDays(400)))).isInstanceOf(Authenticated.class);
    }

    private static X509Certificate selfSignedWithKeyOf(CertifiedKey key, String subject) {
        try {
            X500Name name = new X500Name(subject);
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, BigInteger.TEN,
                    Date.from(Instant.now().minus(Duration.ofHours(1))),
                    Date.from(Instant.now().plus(Duration.ofDays(90))), name,
                    SubjectPublicKeyInfo.getInstance(key.publicKey().getEncoded()));
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.privateKey())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
