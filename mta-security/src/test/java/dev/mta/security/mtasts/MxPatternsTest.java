package dev.mta.security.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8461 4.1: MX host names against policy patterns. */
class MxPatternsTest {

    @Test
    void exactNameMatchesIgnoringCaseAndTrailingDot() {
        assertThat(MxPatterns.matches("mx.example.com", "MX.Example.COM.")).isTrue();
    }

    @Test
    void differentNameDoesNotMatch() {
        assertThat(MxPatterns.matches("mx.example.com", "mx2.example.com")).isFalse();
    }

    @Test
    void wildcardMatchesOneLeftMostLabel() {
        assertThat(MxPatterns.matches("*.example.com", "mx1.example.com")).isTrue();
    }

    @Test
    void wildcardDoesNotMatchTheParentItself() {
        assertThat(MxPatterns.matches("*.example.com", "example.com")).isFalse();
    }

    @Test
    void wildcardDoesNotMatchTwoLabels() {
        assertThat(MxPatterns.matches("*.example.com", "a.mx.example.com")).isFalse();
    }

    @Test
    void wildcardDoesNotMatchAnEmptyLabel() {
        assertThat(MxPatterns.matches("*.example.com", ".example.com")).isFalse();
    }

    @Test
    void anyOfSeveralPatternsMayMatch() {
        assertThat(MxPatterns.matchesAny(List.of("mx.example.org", "*.example.net"), "b.example.net")).isTrue();
        assertThat(MxPatterns.matchesAny(List.of("mx.example.org", "*.example.net"), "example.net")).isFalse();
    }
}
