package dev.mta.delivery.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.security.policy.TlsLevel;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticRoutesTest {
    private static StaticRoute to(String relayHost) {
        return new StaticRoute(RelayHost.parse(relayHost), Optional.empty(), Optional.of(TlsLevel.MAY));
    }

    @Test
    void theDomainItselfWinsOverItsParentsAndTheDefault() {
        StaticRoutes routes = StaticRoutes.of(Map.of(
                "example.com", to("[exact]"), ".example.com", to("[sub]"), "*", to("[default]")));
        assertThat(routes.find("EXAMPLE.com")).contains(to("[exact]"));
        assertThat(routes.find("a.b.example.com")).contains(to("[sub]"));
        assertThat(routes.find("example.net")).contains(to("[default]"));
    }

    @Test
    void aDomainKeyDoesNotMatchItsSubdomains() {
        StaticRoutes routes = StaticRoutes.of(Map.of("example.com", to("[exact]")));
        assertThat(routes.find("mail.example.com")).isEmpty();
        assertThat(routes.find("notexample.com")).isEmpty();
    }

    @Test
    void keysThatAreNotDomainsAreRefused() {
        assertThatThrownBy(() -> StaticRoutes.of(Map.of("exa mple.com", to("[x]"))))
                .hasMessageContaining("'exa mple.com' is not a domain");
    }

    @Test
    void relayHostsParseAsPostfixWritesThem() {
        assertThat(RelayHost.parse("[smtp.example.net]:587")).isEqualTo(new RelayHost("smtp.example.net", 587, false));
        assertThat(RelayHost.parse("[smtp.example.net]")).isEqualTo(new RelayHost("smtp.example.net", 0, false));
        assertThat(RelayHost.parse("Example.NET:2525")).isEqualTo(new RelayHost("example.net", 2525, true));
        assertThat(RelayHost.parse("[IPv6:2001:db8::1]:25")).isEqualTo(new RelayHost("2001:db8::1", 25, false));
        assertThat(RelayHost.parse("[192.0.2.1]").portOr(25)).isEqualTo(25);
        assertThat(RelayHost.parse("[smtp.example.net]:587")).hasToString("[smtp.example.net]:587");
    }

    @Test
    void malformedRelayHostsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> RelayHost.parse("[smtp.example.net:587")).hasMessageContaining("without ']'");
        assertThatThrownBy(() -> RelayHost.parse("smtp.example.net:port")).hasMessageContaining("expected ':port'");
        assertThatThrownBy(() -> RelayHost.parse("2001:db8::1")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> RelayHost.parse("[x]:70000")).hasMessageContaining("port must be 1 to 65535");
        assertThatThrownBy(() -> RelayHost.parse("[]:25")).hasMessageContaining("names no host");
    }
}
