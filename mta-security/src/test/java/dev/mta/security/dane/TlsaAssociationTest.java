package dev.mta.security.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import org.junit.jupiter.api.Test;

/** The record type: RFC 6698 2.1 fields, 2.2 presentation, RFC 7218 mnemonics. */
class TlsaAssociationTest {

    @Test
    void fieldsAreOneOctetEach() {
        assertThat(new TlsaAssociation(255, 255, 255, new byte[0]).usage()).isEqualTo(255);
        assertThatThrownBy(() -> new TlsaAssociation(256, 1, 1, new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlsaAssociation(3, -1, 1, new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlsaAssociation(3, 1, 1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void recordsWithTheSameDataAreEqualAndTheDataCannotBeChangedFromOutside() {
        byte[] data = {1, 2, 3};
        TlsaAssociation record = new TlsaAssociation(3, 1, 0, data);
        data[0] = 9;
        record.data()[1] = 9;

        assertThat(record).isEqualTo(new TlsaAssociation(3, 1, 0, new byte[] {1, 2, 3}));
        assertThat(record.hashCode()).isEqualTo(new TlsaAssociation(3, 1, 0, new byte[] {1, 2, 3}).hashCode());
        assertThat(record).isNotEqualTo(new TlsaAssociation(3, 1, 1, new byte[] {1, 2, 3}));
    }

    @Test
    void presentationAndDescriptionUseRfcFormsAndMnemonics() {
        TlsaAssociation record = new TlsaAssociation(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256,
                new byte[] {0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60, 0x71, (byte) 0x82});

        assertThat(record.presentation()).isEqualTo("3 1 1 0A1B2C3D4E5F607182");
        assertThat(record.describe()).isEqualTo("DANE-EE(3) SPKI(1) SHA2-256(1) 0A1B2C3D4E5F6071...");
        assertThat(new TlsaAssociation(7, 9, 8, new byte[0]).describe()).isEqualTo("usage 7 selector 9 matching type 8 (no data)");
    }

    @Test
    void deriveGivesTheRecordAPublisherWouldComputeForTheCertificate() {
        CertifiedKey leaf = TestCertificates.ec().selfSignedLeaf("mx.example.com");

        for (Selector selector : Selector.values()) {
            for (MatchingType type : MatchingType.values()) {
                assertThat(TlsaAssociation.derive(CertificateUsage.DANE_EE, selector, type, leaf.certificate()))
                        .isEqualTo(Records.record(3, selector.code(), type.code(), leaf.certificate()));
            }
        }
    }
}
