package dev.mta.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.delivery.route.AddressFamily;
import dev.mta.delivery.route.RelayCredentials;
import dev.mta.delivery.route.RelayHost;
import dev.mta.delivery.route.StaticRoute;
import dev.mta.security.policy.DestinationPolicy;
import dev.mta.security.policy.Fingerprint;
import dev.mta.security.policy.TlsLevel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryConfigTest {
    private static final Path SHIPPED = Path.of("../conf/mta.conf");

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("mta.conf");
        Files.writeString(file, "hostname = relay.example.org\n" + text);
        return file;
    }

    @Test
    void shippedDefaultsFollowPostfixAndRfc5321() {
        DeliveryConfig delivery = ConfigLoader.load(SHIPPED, List.of()).config().delivery();
        assertThat(delivery.dnsServers()).isEmpty();
        assertThat(delivery.port()).isEqualTo(25);
        assertThat(delivery.addressFamilies()).containsExactly(AddressFamily.IPV6, AddressFamily.IPV4);
        assertThat(delivery.timeouts().greeting()).isEqualTo(Duration.ofMinutes(5));
        assertThat(delivery.timeouts().endOfData()).isEqualTo(Duration.ofMinutes(10));
        assertThat(delivery.retryFirst()).isEqualTo(Duration.ofMinutes(5));
        assertThat(delivery.retryMax()).isEqualTo(Duration.ofHours(1));
        assertThat(delivery.queueLifetime()).isEqualTo(Duration.ofDays(5));
        assertThat(delivery.delayWarning()).isEqualTo(Duration.ofHours(4));
        assertThat(delivery.routes().isEmpty()).isTrue();
    }

    @Test
    void thePostmasterDefaultsToThePostmasterOfTheHostname() throws IOException {
        assertThat(ConfigLoader.load(write(""), List.of()).config().delivery().postmaster())
                .isEqualTo("postmaster@relay.example.org");
    }

    @Test
    void aLabPointsDnsAndPortAtItsOwnServersWithOverrides() throws IOException {
        DeliveryConfig delivery = ConfigLoader.load(write(""), List.of(
                "delivery.dns-servers=[\"127.0.0.1:5353\", \"[::1]:53\"]", "delivery.port=2525",
                "delivery.address-families=[ipv4]")).config().delivery();
        assertThat(delivery.dnsServers()).containsExactly(new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("::1", 53));
        assertThat(delivery.port()).isEqualTo(2525);
        assertThat(delivery.addressFamilies()).containsExactly(AddressFamily.IPV4);
    }

    @Test
    void routesWithRelayHostsCredentialsAndTls() throws IOException {
        Path password = Files.writeString(dir.resolve("provider.password"), "s3cret\n");
        Path file = write("""
                delivery.routes {
                  "*" { relay-host = "[smtp.provider.example]:587", user = "relay@org.example", password-file = "%s" }
                  ".lab.example" { relay-host = "lab.example:2525", tls = none }
                }
                """.formatted(password));
        DeliveryConfig delivery = ConfigLoader.load(file, List.of()).config().delivery();
        assertThat(delivery.routes().find("example.com")).contains(new StaticRoute(
                new RelayHost("smtp.provider.example", 587, false),
                Optional.of(new RelayCredentials("relay@org.example", "s3cret")), Optional.of(TlsLevel.ENCRYPT)));
        assertThat(delivery.routes().find("a.lab.example")).contains(new StaticRoute(
                new RelayHost("lab.example", 2525, true), Optional.empty(), Optional.of(TlsLevel.NONE)));
    }

    @Test
    void aPasswordIsNeverSentWithoutMandatoryTls() throws IOException {
        Path password = Files.writeString(dir.resolve("p"), "x");
        Path file = write("delivery.routes { \"*\" { relay-host = \"[h]\", user = u, password-file = \"" + password + "\", tls = may } }\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessageContaining("mta.conf:2: delivery.routes.\"*\".tls: must require TLS (encrypt, dane-only, verify, secure or fingerprint) when the route has a user and password");
    }

    @Test
    void routeMistakesNameTheFileLineAndKey() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.routes { \"example.com\" { relay-hots = \"[h]\" } }\n"), List.of()))
                .hasMessageContaining("mta.conf:2: delivery.routes.example.com.relay-hots: unknown key (a route has password-file, relay-host, tls, user)");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.routes { \"example.com\" { relay-host = \"[h:25\" } }\n"), List.of()))
                .hasMessageContaining("mta.conf:2: delivery.routes.\"example.com\".relay-host: '[h:25' has '[' without ']'");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.routes { \"example.com\" { tls = none } }\n"), List.of()))
                .hasMessageContaining("needs a relay-host");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.routes { \"example.com\" { relay-host = \"[h]\", user = u } }\n"), List.of()))
                .hasMessageContaining("needs both user and password-file");
    }

    @Test
    void contradictionsStopStartUp() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.retry { first = 2h, max = 1h }\n"), List.of()))
                .hasMessageContaining("delivery.retry.max: is shorter than delivery.retry.first");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.notice-lifetime = 6d\n"), List.of()))
                .hasMessageContaining("delivery.notice-lifetime: is longer than delivery.queue-lifetime");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery { max-connections = 5, max-connections-per-destination = 10 }\n"), List.of()))
                .hasMessageContaining("is larger than delivery.max-connections");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.dns-servers = [\"resolver.example\"]\n"), List.of()))
                .hasMessageContaining("mta.conf:2: delivery.dns-servers: DNS server 'resolver.example'");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.address-families = [ipv5]\n"), List.of()))
                .hasMessageContaining("'ipv5' is neither ipv6 nor ipv4");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.postmaster = \"not an address\"\n"), List.of()))
                .hasMessageContaining("delivery.postmaster: expected an address");
    }

    @Test
    void delayWarningsCanBeTurnedOff() throws IOException {
        assertThat(ConfigLoader.load(write("delivery.delay-warning = 0\n"), List.of()).config().delivery().delayWarning())
                .isZero();
    }

    @Test
    void tlsPoliciesTakeALevelOrABlockWithMatchNamesOrFingerprints() throws IOException {
        String digest = "sha256:" + "AB:".repeat(31) + "CD";
        Path file = write("""
                delivery.tls-policy {
                  "*" = dane
                  "example.com" = dane-only
                  ".bank.example" { level = secure, match = ["mx.bank.example"] }
                  "pinned.example" { level = fingerprint, fingerprints = ["%s"] }
                }
                """.formatted(digest));
        var policies = ConfigLoader.load(file, List.of()).config().delivery().tlsPolicies();
        assertThat(policies.find("EXAMPLE.com")).contains(DestinationPolicy.of(TlsLevel.DANE_ONLY));
        assertThat(policies.find("www.bank.example")).contains(
                new DestinationPolicy(TlsLevel.SECURE, List.of("mx.bank.example"), List.of()));
        assertThat(policies.find("pinned.example").orElseThrow().fingerprints()).containsExactly(Fingerprint.parse(digest));
        assertThat(policies.find("other.example")).contains(DestinationPolicy.DEFAULT);
    }

    @Test
    void tlsPolicyMistakesNameTheFileLineAndKey() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.tls-policy { \"example.com\" = dane-please }\n"), List.of()))
                .hasMessageContaining("mta.conf:2: delivery.tls-policy.\"example.com\": 'dane-please' is not a TLS level");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.tls-policy { \"example.com\" { level = fingerprint } }\n"), List.of()))
                .hasMessageContaining("the fingerprint level needs at least one fingerprint");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.tls-policy { \"example.com\" { level = verify, fingerprint = [] } }\n"), List.of()))
                .hasMessageContaining("delivery.tls-policy.example.com.fingerprint: unknown key (a policy has fingerprints, level, match)");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.tls-policy { \"example.com\" { level = fingerprint, fingerprints = [\"sha256:AB\"] } }\n"), List.of()))
                .hasMessageContaining("a SHA-256 digest has 32 bytes");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.tls-policy { \"example.com\" { level = dane, match = [x] } }\n"), List.of()))
                .hasMessageContaining("match names are only used with the verify and secure levels");
    }

    @Test
    void tlsReportsAreOffUnlessTurnedOnWithAnOrganisationAndAContact() throws IOException {
        assertThat(ConfigLoader.load(SHIPPED, List.of()).config().delivery().tlsReports().enabled()).isFalse();
        var reports = ConfigLoader.load(write("""
                delivery.tls-reports { enabled = true, organization = "Example Org", contact = "tlsrpt@example.org", send-delay = 2h }
                """), List.of()).config().delivery().tlsReports();
        assertThat(reports.enabled()).isTrue();
        assertThat(reports.organizationName()).isEqualTo("Example Org");
        assertThat(reports.contactInfo()).isEqualTo("tlsrpt@example.org");
        assertThat(reports.submitter()).isEqualTo("example.org");
        assertThat(reports.sendDelay()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void tlsReportMistakesNameTheFileLineAndKey() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.tls-reports { enabled = true, contact = \"a@example.org\" }\n"), List.of()))
                .hasMessageContaining("delivery.tls-reports.organization: is needed when TLS reports are enabled");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.tls-reports { enabled = true, organization = Org, contact = nobody }\n"), List.of()))
                .hasMessageContaining("mta.conf:2: delivery.tls-reports.contact: expected the mailbox responsible for reports");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.tls-reports.send-delay = 30h\n"), List.of()))
                .hasMessageContaining("delivery.tls-reports.send-delay: must be less than a day");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery.tls-reports.rua = x\n"), List.of()))
                .hasMessageContaining("delivery.tls-reports.rua: unknown key");
    }
}
