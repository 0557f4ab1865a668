package dev.mta.security.dane;

import static dev.mta.security.dane.Records.CERT;
import static dev.mta.security.dane.Records.DANE_EE;
import static dev.mta.security.dane.Records.DANE_TA;
import static dev.mta.security.dane.Records.FULL;
import static dev.mta.security.dane.Records.PKIX_EE;
import static dev.mta.security.dane.Records.PKIX_TA;
import static dev.mta.security.dane.Records.SHA2_256;
import static dev.mta.security.dane.Records.SHA2_512;
import static dev.mta.security.dane.Records.SPKI;
import static dev.mta.security.dane.Records.unrelated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.security.dane.TlsaUsability.Partition;
import dev.mta.security.dane.TlsaUsability.Unusable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which TLSA records an SMTP client uses: RFC 7672 3.1.3, RFC 6698 2.1, RFC 7671 9. */
class TlsaUsabilityTest {

    @Test
    void daneTaAndDaneEeWithKnownSelectorsAndMatchingTypesAreUsable() {
        List<TlsaAssociation> records = List.of(
                unrelated(DANE_EE, SPKI, SHA2_256), unrelated(DANE_EE, CERT, FULL),
                unrelated(DANE_TA, CERT, SHA2_256), unrelated(DANE_TA, SPKI, FULL));

        Partition partition = TlsaUsability.partition(records);

        assertThat(partition.usable()).containsExactlyElementsOf(records);
        assertThat(partition.unusable()).isEmpty();
    }

    @Test
    void pkixUsagesAreUnusable() {
        // RFC 7672 3.1.3: an MTA has no set of trusted CAs that PKIX-TA(0) and PKIX-EE(1) would need.
        TlsaAssociation pkixTa = unrelated(PKIX_TA, CERT, SHA2_256);
        TlsaAssociation pkixEe = unrelated(PKIX_EE, SPKI, SHA2_256);

        Partition partition = TlsaUsability.partition(List.of(pkixTa, pkixEe));

        assertThat(partition.usable()).isEmpty();
        assertThat(partition.unusable()).extracting(Unusable::record).containsExactly(pkixTa, pkixEe);
        assertThat(partition.unusable().get(0).reason()).contains("PKIX-TA(0)", "RFC 7672 3.1.3");
        assertThat(partition.unusable().get(1).reason()).contains("PKIX-EE(1)", "RFC 7672 3.1.3");
    }

    @Test
    void unknownUsageIsUnusable() {
        Partition partition = TlsaUsability.partition(List.of(unrelated(4, SPKI, SHA2_256), unrelated(255, SPKI, SHA2_256)));

        assertThat(partition.usable()).isEmpty();
        assertThat(partition.unusable()).extracting(Unusable::reason)
                .allSatisfy(reason -> assertThat(reason).contains("unknown", "RFC 7672 3.1.3"));
    }

    @Test
    void unknownSelectorIsUnusable() {
        // RFC 6698 2.1.2 defines Cert(0) and SPKI(1); 255 is PrivSel (RFC 7218 2.2).
        Partition partition = TlsaUsability.partition(List.of(unrelated(DANE_EE, 2, SHA2_256), unrelated(DANE_EE, 255, SHA2_256)));

        assertThat(partition.usable()).isEmpty();
        assertThat(partition.unusable()).extracting(Unusable::reason)
                .allSatisfy(reason -> assertThat(reason).contains("selector", "RFC 6698 2.1.2"));
    }

    @Test
    void unknownMatchingTypeIsUnusable() {
        // RFC 6698 2.1.3 defines Full(0), SHA2-256(1), SHA2-512(2); 255 is PrivMatch.
        Partition partition = TlsaUsability.partition(List.of(unrelated(DANE_EE, SPKI, 3), unrelated(DANE_TA, CERT, 255)));

        assertThat(partition.usable()).isEmpty();
        assertThat(partition.unusable()).extracting(Unusable::reason)
                .allSatisfy(reason -> assertThat(reason).contains("matching type", "RFC 6698 2.1.3"));
    }

    @Test
    void aDigestOfTheWrongLengthIsUnusable() {
        TlsaAssociation short256 = new TlsaAssociation(DANE_EE, SPKI, SHA2_256, new byte[31]);
        TlsaAssociation long512 = new TlsaAssociation(DANE_EE, SPKI, SHA2_512, new byte[65]);

        Partition partition = TlsaUsability.partition(List.of(short256, long512));

        assertThat(partition.usable()).isEmpty();
        assertThat(partition.unusable().get(0).reason()).contains("31 octets", "32");
        assertThat(partition.unusable().get(1).reason()).contains("65 octets", "64");
    }

    @Test
    void aFullRecordWithoutDataIsUnusable() {
        Partition partition = TlsaUsability.partition(List.of(new TlsaAssociation(DANE_TA, SPKI, FULL, new byte[0])));

        assertThat(partition.usable()).isEmpty();
        assertThat(partition.unusable().getFirst().reason()).contains("Full(0)", "without association data");
    }

    @Test
    void sha512RecordsOverrideSha256ForTheSameSelector() {
        // RFC 7671 9: with "3 1 1" and "3 1 2" published, a client that implements SHA2-512 uses
        // only "3 1 2", so that a weaker digest kept for older clients cannot be used against it.
        TlsaAssociation sha256 = unrelated(DANE_EE, SPKI, SHA2_256);
        TlsaAssociation sha512 = unrelated(DANE_EE, SPKI, SHA2_512);

        Partition partition = TlsaUsability.partition(List.of(sha256, sha512));

        assertThat(partition.usable()).containsExactly(sha512);
        assertThat(partition.unusable()).extracting(Unusable::record).containsExactly(sha256);
        assertThat(partition.unusable().getFirst().reason())
                .contains("SHA2-256(1) is ignored", "SHA2-512(2)", "DANE-EE(3) SPKI(1)", "RFC 7671 9");
    }

    @Test
    void digestAgilityKeepsFullRecordsBesideTheStrongestDigest() {
        // RFC 7671 9's own example: "3 1 0" and "3 1 2" are used, "3 1 1" is not.
        TlsaAssociation full = unrelated(DANE_EE, SPKI, FULL);
        TlsaAssociation sha256 = unrelated(DANE_EE, SPKI, SHA2_256);
        TlsaAssociation sha512 = unrelated(DANE_EE, SPKI, SHA2_512);

        Partition partition = TlsaUsability.partition(List.of(full, sha256, sha512));

        assertThat(partition.usable()).containsExactly(full, sha512);
        assertThat(partition.unusable()).extracting(Unusable::record).containsExactly(sha256);
    }

    @Test
    void digestAgilityAppliesPerUsageAndSelector() {
        // SHA2-512 for DANE-EE(3) SPKI(1) says nothing about DANE-EE(3) Cert(0) or DANE-TA(2) SPKI(1).
        TlsaAssociation eeSpki512 = unrelated(DANE_EE, SPKI, SHA2_512);
        TlsaAssociation eeCert256 = unrelated(DANE_EE, CERT, SHA2_256);
        TlsaAssociation taSpki256 = unrelated(DANE_TA, SPKI, SHA2_256);

        Partition partition = TlsaUsability.partition(List.of(eeSpki512, eeCert256, taSpki256));

        assertThat(partition.usable()).containsExactly(eeSpki512, eeCert256, taSpki256);
    }

    @Test
    void aMalformedSha512RecordDoesNotDisplaceAGoodSha256Record() {
        // Digest agility weighs only the records that survived the other filters.
        TlsaAssociation sha256 = unrelated(DANE_EE, SPKI, SHA2_256);
        TlsaAssociation truncated512 = new TlsaAssociation(DANE_EE, SPKI, SHA2_512, new byte[20]);

        Partition partition = TlsaUsability.partition(List.of(sha256, truncated512));

        assertThat(partition.usable()).containsExactly(sha256);
        assertThat(partition.unusable()).extracting(Unusable::record).containsExactly(truncated512);
    }

    @Test
    void aPkixSha512RecordDoesNotDisplaceADaneSha256Record() {
        TlsaAssociation pkix512 = unrelated(PKIX_EE, SPKI, SHA2_512);
        TlsaAssociation dane256 = unrelated(DANE_EE, SPKI, SHA2_256);

        assertThat(TlsaUsability.partition(List.of(pkix512, dane256)).usable()).containsExactly(dane256);
    }

    @Test
    void bothListsKeepTheOrderOfTheRrset() {
        TlsaAssociation sha256 = unrelated(DANE_EE, SPKI, SHA2_256);
        TlsaAssociation pkix = unrelated(PKIX_TA, CERT, SHA2_256);
        TlsaAssociation sha512 = unrelated(DANE_EE, SPKI, SHA2_512);
        TlsaAssociation ta = unrelated(DANE_TA, CERT, SHA2_256);

        Partition partition = TlsaUsability.partition(List.of(sha256, pkix, sha512, ta));

        assertThat(partition.usable()).containsExactly(sha512, ta);
        assertThat(partition.unusable()).extracting(Unusable::record).containsExactly(sha256, pkix);
    }
}
