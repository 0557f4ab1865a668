package dev.mta.security.dane;

import static dev.mta.security.dane.Records.CERT;
import static dev.mta.security.dane.Records.DANE_TA;
import static dev.mta.security.dane.Records.FULL;
import static dev.mta.security.dane.Records.SHA2_256;
import static dev.mta.security.dane.Records.SPKI;
import static dev.mta.security.dane.Records.daneTa;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.security.dane.DaneVerdict.Authenticated;
import dev.mta.security.dane.DaneVerdict.Failed;
import dev.mta.security.dane.DaneVerdict.Failure;
import dev.mta.security.dane.DaneVerdict.NameMatch;
import dev.mta.testsupport.tls.CaChain;
import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import dev.mta.testsupport.tls.Validity;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * DANE-TA(2): RFC 7672 3.1.2, RFC 6698 2.1.1, RFC 7671 5.2. A certificate above the leaf (or a
 * key in the record) is the trust anchor, the chain must validate from it, and the leaf must
 * carry a reference identifier.
 */
class DaneTaTest {

    private static final ReferenceIdentifiers MX = ReferenceIdentifiers.forMxHost("mx.example.com", "mx.example.com", "example.com");

    private final TestCertificates certificates = TestCertificates.ec();
    private final Instant now = Instant.now();
    private final CaChain ca = certificates.caChain("mx.example.com");

    @Test
    void daneTaMatchesTheRootAndChecksTheLeafName() {
        TlsaAssociation record = daneTa(CERT, SHA2_256, ca.root().certificate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(record), ca.leaf().chain(), MX, now);

        assertThat(verdict).isEqualTo(new Authenticated(CertificateUsage.DANE_TA, record, OptionalInt.of(2),
                Optional.of(new NameMatch("mx.example.com", "mx.example.com"))));
        assertThat(verdict.summary()).isEqualTo("DANE " + record.describe()
                + " matched the trust anchor at depth 2; leaf name mx.example.com");
    }

    @Test
    void daneTaMatchesAnIntermediateAndChecksTheLeafName() {
        // RFC 7672 3.1.2: the anchor may be any issuer up the chain, here the one right above the leaf.
        TlsaAssociation record = daneTa(SPKI, SHA2_256, ca.intermediate().certificate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(record), ca.leaf().withoutRoot().chain(), MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
        Authenticated authenticated = (Authenticated) verdict;
        assertThat(authenticated.matchedDepth()).hasValue(1);
        assertThat(authenticated.nameMatch()).contains(new NameMatch("mx.example.com", "mx.example.com"));
    }

    @Test
    void daneTaWithTheAnchorOnlyInTheRecord() {
        // RFC 7671 5.2: with the anchor's key in full ("2 1 0") the server need not send the anchor.
        TlsaAssociation record = daneTa(SPKI, FULL, ca.root().certificate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(record), ca.leaf().withoutRoot().chain(), MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
        assertThat(((Authenticated) verdict).matchedDepth()).isEmpty();
        assertThat(verdict.summary()).contains("gave in full the trust anchor the server left out of its chain");
    }

    @Test
    void daneTaWithTheAnchorCertificateOnlyInTheRecord() {
        // RFC 7671 5.2: likewise a "2 0 0" record carrying the whole anchor certificate.
        TlsaAssociation record = daneTa(CERT, FULL, ca.root().certificate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(record), ca.leaf().withoutRoot().chain(), MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
        assertThat(((Authenticated) verdict).matchedDepth()).isEmpty();
    }

    @Test
    void aKeyOnlyAnchorMayHaveSignedTheLeafDirectly() {
        CertifiedKey issuer = certificates.ca("Private CA");
        CertifiedKey leaf = certificates.leaf(issuer, "mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(SPKI, FULL, issuer.certificate())),
                List.of(leaf.certificate()), MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
    }

    @Test
    void aKeyOnlyAnchorMayBeTheKeyOfASelfSignedLeaf() {
        // Reading decided, as OpenSSL does: a bare anchor key is checked against the top of the
        // presented chain, which for a lone self-signed leaf is the leaf, signed by that key. The
        // leaf's names are still checked, so this is no weaker than DANE-EE(3).
        CertifiedKey selfSigned = certificates.selfSignedLeaf("mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(SPKI, FULL, selfSigned.certificate())),
                selfSigned.chain(), MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
        assertThat(((Authenticated) verdict).matchedDepth()).isEmpty();
    }

    @Test
    void aDigestOfAnAnchorLeftOutOfTheChainMatchesNothing() {
        // RFC 7671 5.2: a digest cannot stand in for the anchor; the server must send it.
        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())),
                ca.leaf().withoutRoot().chain(), MX, now);

        assertThat(verdict).isInstanceOf(Failed.class);
        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.NO_MATCH);
        assertThat(((Failed) verdict).reason())
                .isEqualTo("no TLSA record matched: no DANE-TA(2) record matched a certificate above the leaf (1 presented)");
    }

    @Test
    void aDaneTaRecordMatchingOnlyTheLeafDoesNotAuthenticate() {
        // RFC 6698 2.1.1: the anchor is what the end entity is validated from, not the end entity;
        // pinning the leaf is DANE-EE(3)'s job.
        CertifiedKey selfSigned = certificates.selfSignedLeaf("mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, selfSigned.certificate())),
                selfSigned.chain(), MX, now);

        assertThat(verdict).isInstanceOf(Failed.class);
        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.NO_MATCH);
        assertThat(((Failed) verdict).reason()).contains("the server presented only the leaf");
    }

    @Test
    void aTamperedChainFails() {
        List<X509Certificate> chain = List.of(MoreCertificates.tampered(ca.leaf().certificate()),
                ca.intermediate().certificate(), ca.root().certificate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())), chain, MX, now);

        assertThat(verdict).isInstanceOf(Failed.class);
        Failed failed = (Failed) verdict;
        assertThat(failed.failure()).isEqualTo(Failure.CHAIN_INVALID);
        assertThat(failed.reason()).startsWith("chain does not validate from the matching trust anchor CN=Test Root CA"
                + " at depth 2: signature (certificate at depth 0, CN=mx.example.com)");
    }

    @Test
    void aLeafFromAnImpostorWithTheIssuersNameFails() {
        // Someone's own CA named like the real intermediate: names chain, signatures do not.
        CertifiedKey impostor = certificates.ca("Test Intermediate CA");
        CertifiedKey forged = certificates.leaf(impostor, "mx.example.com");
        List<X509Certificate> chain = List.of(forged.certificate(), ca.intermediate().certificate(), ca.root().certificate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())), chain, MX, now);

        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.CHAIN_INVALID);
        assertThat(((Failed) verdict).reason()).contains(": signature (certificate at depth 0");
    }

    @Test
    void aKeyOnlyAnchorThatSignedNothingInTheChainFails() {
        CertifiedKey unrelated = certificates.ca("Unrelated CA");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(SPKI, FULL, unrelated.certificate())),
                ca.leaf().withoutRoot().chain(), MX, now);

        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.CHAIN_INVALID);
        assertThat(((Failed) verdict).reason())
                .isEqualTo("signature: no certificate presented is signed by the trust anchor key given in the record");
    }

    @Test
    void anUnreadableAnchorInTheRecordMatchesNothing() {
        TlsaAssociation garbage = new TlsaAssociation(DANE_TA, SPKI, FULL, new byte[] {1, 2, 3, 4});

        DaneVerdict verdict = DaneVerifier.verify(List.of(garbage), ca.leaf().withoutRoot().chain(), MX, now);

        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.NO_MATCH);
        assertThat(((Failed) verdict).reason()).contains("unreadable anchor in DANE-TA(2) SPKI(1) Full(0) 01020304");
    }

    @Test
    void daneTaRejectsAnExpiredLeaf() {
        // RFC 6698 2.1.1: PKIX path validation from the anchor, which checks validity (RFC 5280 6.1.3 (a)(2)).
        CertifiedKey expired = certificates.expiredLeaf(ca.intermediate(), "mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())),
                expired.chain(), MX, now);

        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.OUTSIDE_VALIDITY);
        assertThat(((Failed) verdict).reason()).contains(": expired (certificate at depth 0, CN=mx.example.com)");
    }

    @Test
    void daneTaRejectsANotYetValidLeaf() {
        CertifiedKey future = certificates.leaf(ca.intermediate(), "mx.example.com", List.of("mx.example.com"),
                Validity.notYetValid());

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())),
                future.chain(), MX, now);

        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.OUTSIDE_VALIDITY);
        assertThat(((Failed) verdict).reason()).contains(": not yet valid (certificate at depth 0");
    }

    @Test
    void daneTaRejectsAnExpiredIntermediateBelowTheAnchor() {
        CertifiedKey expiredIntermediate = MoreCertificates.intermediateCa(ca.root(), "Old Intermediate", Validity.expired());
        CertifiedKey leaf = certificates.leaf(expiredIntermediate, "mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())),
                leaf.chain(), MX, now);

        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.OUTSIDE_VALIDITY);
        assertThat(((Failed) verdict).reason()).contains(": expired (certificate at depth 1, CN=Old Intermediate)");
    }

    @Test
    void daneTaChecksValidityAtTheInstantItIsGiven() {
        // The same chain, checked 60 days on, when every certificate in it has expired.
        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())),
                ca.leaf().chain(), MX, now.plus(Duration.ofDays(60)));

        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.OUTSIDE_VALIDITY);
    }

    @Test
    void daneTaIgnoresTheExpiryOfTheTrustAnchorItself() {
        // Reading decided: an anchor is a name and a key (RFC 5280 6.1.1 (d)); its own dates are not checked.
        CertifiedKey oldRoot = certificates.ca("Old Root", Validity.expired());
        CertifiedKey intermediate = certificates.intermediateCa(oldRoot, "Current Intermediate");
        CertifiedKey leaf = certificates.leaf(intermediate, "mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, oldRoot.certificate())),
                leaf.chain(), MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
    }

    @Test
    void daneTaIgnoresTheExpiryOfAnIntermediateThatIsTheAnchor() {
        CertifiedKey expiredIntermediate = MoreCertificates.intermediateCa(ca.root(), "Old Intermediate", Validity.expired());
        CertifiedKey leaf = certificates.leaf(expiredIntermediate, "mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(SPKI, SHA2_256, expiredIntermediate.certificate())),
                leaf.chain(), MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
        assertThat(((Authenticated) verdict).matchedDepth()).hasValue(1);
    }

    @Test
    void daneTaRejectsAnIssuerThatIsNotACa() {
        // RFC 5280 6.1.4 (k): a leaf cannot issue certificates, whatever anchor sits above it.
        CertifiedKey leafAsIssuer = certificates.leaf(ca.intermediate(), "mx1.example.com");
        CertifiedKey issuedByLeaf = certificates.leaf(leafAsIssuer, "mx.example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())),
                issuedByLeaf.chain(), MX, now);

        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.CHAIN_INVALID);
        assertThat(((Failed) verdict).reason()).contains("(certificate at depth 1, CN=mx1.example.com)");
    }

    @Test
    void daneTaAcceptsAChainPresentedOutOfOrder() {
        List<X509Certificate> shuffled = List.of(ca.leaf().certificate(), ca.root().certificate(),
                ca.intermediate().certificate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())),
                shuffled, MX, now);

        assertThat(verdict).isInstanceOf(Authenticated.class);
        assertThat(((Authenticated) verdict).matchedDepth()).hasValue(1);
    }

    @Test
    void daneTaRejectsAnAnchorThatIsNotAboveTheLeaf() {
        // The matching certificate is presented, but it issued nothing on the leaf's path.
        CertifiedKey otherRoot = certificates.ca("Other Root");
        List<X509Certificate> chain = List.of(ca.leaf().certificate(), ca.intermediate().certificate(),
                otherRoot.certificate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, otherRoot.certificate())), chain, MX, now);

        assertThat(((Failed) verdict).failure()).isEqualTo(Failure.CHAIN_INVALID);
        assertThat(((Failed) verdict).reason()).isEqualTo("no path from the leaf up to the trust anchor CN=Other Root"
                + " at depth 2: no certificate presented is issued by it");
    }

    @Test
    void daneTaRejectsAWrongName() {
        // RFC 7672 3.2.2: with DANE-TA(2) the leaf must carry a reference identifier.
        CertifiedKey wrong = certificates.leafWithWrongNames(ca.intermediate());

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())),
                wrong.chain(), MX, now);

        assertThat(verdict).isEqualTo(new Failed(Failure.NAME_MISMATCH,
                "leaf names [wrong-name.invalid] do not match reference identifiers [mx.example.com, example.com]"));
    }

    @Test
    void theNextHopDomainIsAReferenceIdentifierForAnMxHost() {
        // RFC 7672 3.2.2: a provider's MX host may present a certificate naming the customer's domain.
        CertifiedKey leaf = certificates.leaf(ca.intermediate(), "example.com");
        ReferenceIdentifiers names = ReferenceIdentifiers.forMxHost("mx.provider.net", "mx.provider.net", "example.com");

        DaneVerdict verdict = DaneVerifier.verify(List.of(daneTa(CERT, SHA2_256, ca.root().certificate())),
                leaf.chain(), names, now);

        assertThat(((Authenticated) verdict).nameMatch()).contains(new NameMatch("example.com", "example.com"));
    }
}
