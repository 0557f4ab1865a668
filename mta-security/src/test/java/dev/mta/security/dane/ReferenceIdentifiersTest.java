package dev.mta.security.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The names a DANE-TA(2) leaf is checked against: RFC 7672 3.2.2. */
class ReferenceIdentifiersTest {

    @Test
    void anMxHostIsCheckedAgainstTheTlsaBaseDomainTheMxHostAndTheNextHopDomain() {
        ReferenceIdentifiers names = ReferenceIdentifiers.forMxHost("mx.cdn.example.net", "mx.example.com", "example.com");

        assertThat(names.names()).containsExactly("mx.cdn.example.net", "mx.example.com", "example.com");
    }

    @Test
    void anExpandedNextHopDomainIsAReferenceIdentifierToo() {
        ReferenceIdentifiers names = ReferenceIdentifiers.forMxHost("mx.example.com", "mx.example.com", "example.com",
                "example.org");

        assertThat(names.names()).containsExactly("mx.example.com", "example.com", "example.org");
    }

    @Test
    void aHostWithoutMxIsCheckedAgainstTheTlsaBaseDomainAndTheNameAskedFor() {
        ReferenceIdentifiers names = ReferenceIdentifiers.forNonMxHost("smtp.example.net", "relay.example.com");

        assertThat(names.names()).containsExactly("smtp.example.net", "relay.example.com");
    }

    @Test
    void namesAreLowerCaseWithoutTrailingDotAndListedOnce() {
        ReferenceIdentifiers names = ReferenceIdentifiers.of("MX.Example.COM.", "mx.example.com", "Example.com");

        assertThat(names.names()).containsExactly("mx.example.com", "example.com");
        assertThat(names).hasToString("[mx.example.com, example.com]");
        assertThat(ReferenceIdentifiers.of(Set.of("Example.com.")).names()).containsExactly("example.com");
    }

    @Test
    void namesMustBeAsciiALabels() {
        assertThatThrownBy(() -> ReferenceIdentifiers.of("bücher.example"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A-labels");
        assertThat(ReferenceIdentifiers.of("xn--bcher-kva.example").names()).containsExactly("xn--bcher-kva.example");
    }

    @Test
    void wildcardsBlanksAndEmptyLabelsAreRefused() {
        assertThatThrownBy(() -> ReferenceIdentifiers.of("*.example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferenceIdentifiers.of("mx..example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferenceIdentifiers.of(".")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferenceIdentifiers.of("mx example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReferenceIdentifiers(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
