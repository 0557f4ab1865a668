package dev.mta.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3463 2 status codes and the one-line reply text a DSN can carry. */
class DiagnosisTest {

    @ParameterizedTest
    @ValueSource(strings = {"2.0.0", "4.4.1", "5.1.1", "5.7.26", "4.123.999"})
    void acceptsClassTwoFourOrFiveWithOneToThreeDigitSubjectAndDetail(String status) {
        assertThat(Diagnosis.local(status, "fine").status()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.0.0", "1.0.0", "5.1", "5.1.1.1", "5.1234.1", "5.1.1234", "550", "5.a.1", " 5.1.1", "5.1.1 ",
            "５.1.1", ""})
    void refusesAnythingElseAsAStatus(String status) {
        assertThatThrownBy(() -> Diagnosis.local(status, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RFC 3463");
    }

    @Test
    void aMultiLineReplyIsKeptOnOneLineWithItsLinesJoinedByASpace() {
        Diagnosis diagnosis = Diagnosis.remote("5.1.1",
                "550-5.1.1 The email account that you tried to reach does not exist. \r\n"
                        + "550-5.1.1 Please try double-checking\n550 5.1.1 the address.\r\n", "mx.example.net");

        assertThat(diagnosis.text()).isEqualTo("550-5.1.1 The email account that you tried to reach does not exist."
                + " 550-5.1.1 Please try double-checking 550 5.1.1 the address.");
    }

    @Test
    void aDiagnosisNeedsWords() {
        assertThatThrownBy(() -> Diagnosis.local("4.0.0", " \r\n "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLocalDecisionHasNoRemoteMtaAndARemoteOneNeedsAName() {
        assertThat(Diagnosis.local("5.4.4", "no route to example.net").remoteMta()).isEmpty();
        assertThat(Diagnosis.remote("5.1.1", "550 5.1.1 unknown", "mx.example.net").remoteMta())
                .contains("mx.example.net");
        assertThatThrownBy(() -> new Diagnosis("5.1.1", "550 unknown", Optional.of(" ")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStatusClassIsItsFirstDigit() {
        assertThat(Diagnosis.local("4.7.5", "TLS").statusClass()).isEqualTo(4);
    }
}
