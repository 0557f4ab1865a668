package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerSecurityTest {

    @Test
    void chainIsAsTrustworthyAsItsWeakestAnswer() {
        assertThat(AnswerSecurity.weakest(DnsSecurity.SECURE, DnsSecurity.INSECURE)).isEqualTo(DnsSecurity.INSECURE);
        assertThat(AnswerSecurity.weakest(DnsSecurity.INSECURE, DnsSecurity.INDETERMINATE)).isEqualTo(DnsSecurity.INDETERMINATE);
        assertThat(AnswerSecurity.weakest(DnsSecurity.BOGUS, DnsSecurity.INDETERMINATE)).isEqualTo(DnsSecurity.BOGUS);
        assertThat(AnswerSecurity.weakest(DnsSecurity.SECURE, DnsSecurity.SECURE)).isEqualTo(DnsSecurity.SECURE);
    }

    @Test
    void noAnswerIsIndeterminate() {
        assertThat(AnswerSecurity.unanswered()).isEqualTo(DnsSecurity.INDETERMINATE);
    }
}
