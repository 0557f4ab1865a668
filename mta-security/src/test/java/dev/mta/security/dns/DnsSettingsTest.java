package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DnsSettingsTest {

    @Test
    void ipv4AloneMeansPort53() {
        assertThat(DnsSettings.parseServer("192.0.2.53")).isEqualTo(server("192.0.2.53", 53));
    }

    @Test
    void ipv4WithPort() {
        assertThat(DnsSettings.parseServer("192.0.2.53:5353")).isEqualTo(server("192.0.2.53", 5353));
    }

    @Test
    void ipv6AloneMeansPort53() {
        assertThat(DnsSettings.parseServer("2001:db8::53")).isEqualTo(server("2001:db8::53", 53));
        assertThat(DnsSettings.parseServer("::1")).isEqualTo(server("::1", 53));
    }

    @Test
    void ipv6InBracketsWithOrWithoutPort() {
        assertThat(DnsSettings.parseServer("[2001:db8::53]:5353")).isEqualTo(server("2001:db8::53", 5353));
        assertThat(DnsSettings.parseServer("[2001:db8::53]")).isEqualTo(server("2001:db8::53", 53));
    }

    @Test
    void surroundingSpaceIsIgnored() {
        assertThat(DnsSettings.parseServer(" 192.0.2.53 ")).isEqualTo(server("192.0.2.53", 53));
    }

    @Test
    void hostNamesAreRefusedBecauseFindingThemNeedsDns() {
        assertThatThrownBy(() -> DnsSettings.parseServer("dns.example.org:53"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DNS server 'dns.example.org:53': not an IP address; write 192.0.2.53, "
                        + "192.0.2.53:5353, 2001:db8::53 or [2001:db8::53]:5353");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.53:0", "192.0.2.53:65536", "192.0.2.53:dns", "192.0.2.53:", "192.0.2.53:+53",
            "[::1]:99999"})
    void portsOutsideOneTo65535AreRefused(String text) {
        assertThatThrownBy(() -> DnsSettings.parseServer(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DNS server '" + text + "': port '")
                .hasMessageEndingWith("' is not a number from 1 to 65535");
    }

    @Test
    void malformedBracketsAreRefused() {
        assertThatThrownBy(() -> DnsSettings.parseServer("[2001:db8::53:53"))
                .hasMessage("DNS server '[2001:db8::53:53': missing ']' after the IPv6 address");
        assertThatThrownBy(() -> DnsSettings.parseServer("[2001:db8::53]53"))
                .hasMessage("DNS server '[2001:db8::53]53': expected ':port' after ']'");
        assertThatThrownBy(() -> DnsSettings.parseServer("[192.0.2.53]:53"))
                .hasMessage("DNS server '[192.0.2.53]:53': '192.0.2.53' in brackets is not an IPv6 address");
    }

    @Test
    void emptyTextIsRefused() {
        assertThatThrownBy(() -> DnsSettings.parseServer("  ")).hasMessageStartingWith("DNS server '  ': empty");
    }

    @Test
    void timeoutMustBePositiveAndAttemptsAtLeastOne() {
        assertThatThrownBy(() -> new DnsSettings(List.of(), Duration.ZERO, 1)).hasMessageContaining("timeout");
        assertThatThrownBy(() -> new DnsSettings(List.of(), Duration.ofSeconds(1), 0)).hasMessageContaining("attempts");
    }

    @Test
    void serversMustBeAddressesNotNames() {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("dns.example.org", 53);

        assertThatThrownBy(() -> new DnsSettings(List.of(unresolved), Duration.ofSeconds(1), 1))
                .hasMessageContaining("must be an IP address");
    }

    @Test
    void serverListIsCopied() {
        List<InetSocketAddress> servers = new ArrayList<>(List.of(server("192.0.2.53", 53)));
        DnsSettings settings = new DnsSettings(servers, Duration.ofSeconds(1), 1);
        servers.clear();

        assertThat(settings.servers()).hasSize(1);
    }

    @Test
    void validationNeedsATrustAnchorsFile() {
        assertThatThrownBy(() -> new DnsSettings(List.of(), Duration.ofSeconds(1), 1, DnssecMode.VALIDATE, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DNSSEC mode validate needs a trust anchors file");
        assertThat(DnsSettings.validating(List.of(), Duration.ofSeconds(1), 1, Path.of("anchors.txt")).trustAnchors())
                .contains(Path.of("anchors.txt"));
    }

    @Test
    void trustAdNeedsLoopbackServers() {
        List<InetSocketAddress> remote = List.of(server("192.0.2.53", 53));

        assertThatThrownBy(() -> new DnsSettings(remote, Duration.ofSeconds(1), 1, DnssecMode.TRUST_AD, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DNSSEC mode trust-ad believes the AD bit of the DNS servers, which is safe only for a"
                        + " validating resolver on loopback; 192.0.2.53 is not a loopback address"
                        + " (use dnssec = validate instead)");
        assertThat(DnsSettings.trustingAd(List.of(server("127.0.0.53", 53)), Duration.ofSeconds(1), 1).dnssec())
                .isEqualTo(DnssecMode.TRUST_AD);
    }

    @Test
    void offNeedsNothingAndIgnoresAnchors() {
        DnsSettings settings = new DnsSettings(List.of(), Duration.ofSeconds(1), 1, DnssecMode.OFF, Optional.of(Path.of("x")));

        assertThat(settings.dnssec()).isEqualTo(DnssecMode.OFF);
    }

    @Test
    void modesAreReadAsTheConfigurationWritesThem() {
        assertThat(DnssecMode.parse("validate")).isEqualTo(DnssecMode.VALIDATE);
        assertThat(DnssecMode.parse(" Trust-AD ")).isEqualTo(DnssecMode.TRUST_AD);
        assertThat(DnssecMode.parse("off")).isEqualTo(DnssecMode.OFF);
        assertThatThrownBy(() -> DnssecMode.parse("on"))
                .hasMessage("DNSSEC mode 'on': expected one of validate, trust-ad, off");
    }

    private static InetSocketAddress server(String literal, int port) {
        return new InetSocketAddress(literal, port); // literals: no lookup
    }
}
