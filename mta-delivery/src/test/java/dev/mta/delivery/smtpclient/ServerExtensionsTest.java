package dev.mta.delivery.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 5321 4.1.1.1: the EHLO reply, a keyword and its parameters per line after the first. */
class ServerExtensionsTest {

    private static ServerExtensions ehlo(String... lines) {
        return ServerExtensions.fromEhlo(new SmtpReply(250, Optional.empty(), List.of(lines)));
    }

    @Test
    void readsKeywordsIgnoringCaseAndTheGreetingLine() {
        ServerExtensions server = ehlo("mx.example.com PIPELINING", "pipelining", "8bitmime", "StartTLS");

        assertThat(server.pipelining()).isTrue();
        assertThat(server.eightBitMime()).isTrue();
        assertThat(server.startTls()).isTrue();
        assertThat(server.dsn()).isFalse();
    }

    @Test
    void readsTheSizeLimitAndTreatsZeroOrNoneAsNoLimit() {
        assertThat(ehlo("mx", "SIZE 35882577").sizeLimit()).hasValue(35882577);
        // RFC 1870 4: no number, or 0, means no fixed maximum.
        assertThat(ehlo("mx", "SIZE").sizeLimit()).isEmpty();
        assertThat(ehlo("mx", "SIZE 0").sizeLimit()).isEmpty();
        assertThat(ehlo("mx", "SIZE 0").size()).isTrue();
        assertThat(ehlo("mx", "SIZE lots").sizeLimit()).isEmpty();
    }

    @Test
    void readsAuthMechanismsInBothSyntaxes() {
        assertThat(ehlo("mx", "AUTH plain LOGIN").authMechanisms()).containsExactly("PLAIN", "LOGIN");
        assertThat(ehlo("mx", "AUTH=LOGIN CRAM-MD5").authMechanisms()).containsExactly("LOGIN", "CRAM-MD5");
        assertThat(ehlo("mx", "AUTH PLAIN", "AUTH=LOGIN").authMechanisms()).containsExactly("PLAIN", "LOGIN");
    }

    @Test
    void afterHeloThereIsNothing() {
        assertThat(ServerExtensions.none().pipelining()).isFalse();
        assertThat(ServerExtensions.none().authMechanisms()).isEmpty();
    }
}
