package dev.mta.server.smtp.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EsmtpParametersTest {
    @Test
    void keywordsAreCaseInsensitiveAndValuesKept() throws Exception {
        EsmtpParameters params = EsmtpParameters.parse(" size=100 Body=8BITMIME SMTPUTF8");
        assertThat(params.value("SIZE")).contains("100");
        assertThat(params.value("BODY")).contains("8BITMIME");
        assertThat(params.flag("SMTPUTF8")).isTrue();
    }

    @Test
    void duplicateKeywordIsRefused() {
        assertThatThrownBy(() -> EsmtpParameters.parse(" SIZE=1 size=2")).hasMessageContaining("given twice");
    }

    @Test
    void parametersMustBeSeparatedFromThePath() {
        assertThatThrownBy(() -> EsmtpParameters.parse("SIZE=1")).isInstanceOf(SyntaxException.class);
    }

    @Test
    void flagWithValueAndValueWithoutAreRefused() throws Exception {
        assertThatThrownBy(() -> EsmtpParameters.parse(" SMTPUTF8=yes").flag("SMTPUTF8")).isInstanceOf(SyntaxException.class);
        assertThatThrownBy(() -> EsmtpParameters.parse(" SIZE").value("SIZE")).isInstanceOf(SyntaxException.class);
        assertThatThrownBy(() -> EsmtpParameters.parse(" SIZE=")).isInstanceOf(SyntaxException.class);
    }

    @Test
    void xtextRoundTrips() throws Exception {
        assertThat(Xtext.decode("a+2Bb+3Dc")).isEqualTo("a+b=c");
        assertThat(Xtext.encode("a+b=c d")).isEqualTo("a+2Bb+3Dc+20d");
        assertThatThrownBy(() -> Xtext.decode("abc+4")).isInstanceOf(SyntaxException.class);
        assertThatThrownBy(() -> Xtext.decode("a=b")).isInstanceOf(SyntaxException.class);
    }
}
