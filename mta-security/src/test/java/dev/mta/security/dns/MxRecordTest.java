package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MxRecordTest {

    @Test
    void hostIsLowerCaseWithoutTheTrailingDot() {
        assertThat(new MxRecord(10, "MX1.Example.ORG.").host()).isEqualTo("mx1.example.org");
    }

    @Test
    void rootAsExchangeWithPreferenceZeroIsTheNullMx() {
        assertThat(new MxRecord(0, ".").isNullMx()).isTrue();
        assertThat(new MxRecord(0, "").isNullMx()).isTrue();
    }

    @Test
    void rootWithAnotherPreferenceOrAHostIsNoNullMx() {
        // RFC 7505 3: the null MX has preference 0.
        assertThat(new MxRecord(10, ".").isNullMx()).isFalse();
        assertThat(new MxRecord(0, "mx1.example.org").isNullMx()).isFalse();
    }

    @Test
    void preferenceIsSixteenBitsUnsigned() {
        assertThat(new MxRecord(65535, "mx.example.org").preference()).isEqualTo(65535);
        assertThatThrownBy(() -> new MxRecord(-1, "mx.example.org")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MxRecord(65536, "mx.example.org")).isInstanceOf(IllegalArgumentException.class);
    }
}
