package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TlsaRecordTest {

    @Test
    void equalWhenTheFieldsAndTheDataAreEqual() {
        TlsaRecord one = new TlsaRecord(3, 1, 1, new byte[] {1, 2, 3});
        TlsaRecord same = new TlsaRecord(3, 1, 1, new byte[] {1, 2, 3});

        assertThat(one).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(one).isNotEqualTo(new TlsaRecord(3, 1, 1, new byte[] {1, 2, 4}));
        assertThat(one).isNotEqualTo(new TlsaRecord(2, 1, 1, new byte[] {1, 2, 3}));
    }

    @Test
    void dataIsCopiedInAndOut() {
        byte[] data = {1, 2, 3};
        TlsaRecord record = new TlsaRecord(3, 1, 1, data);
        data[0] = 9;
        record.data()[1] = 9;

        assertThat(record.data()).containsExactly(1, 2, 3);
    }

    @Test
    void printsInPresentationFormatWithHexData() {
        assertThat(new TlsaRecord(3, 1, 1, new byte[] {(byte) 0xAB, 0x01})).hasToString("3 1 1 AB01");
    }

    @Test
    void fieldsAreOneOctetEach() {
        assertThat(new TlsaRecord(255, 255, 255, new byte[0]).usage()).isEqualTo(255);
        assertThatThrownBy(() -> new TlsaRecord(256, 1, 1, new byte[0])).hasMessageContaining("usage");
        assertThatThrownBy(() -> new TlsaRecord(3, -1, 1, new byte[0])).hasMessageContaining("selector");
        assertThatThrownBy(() -> new TlsaRecord(3, 1, 300, new byte[0])).hasMessageContaining("matching type");
    }
}
