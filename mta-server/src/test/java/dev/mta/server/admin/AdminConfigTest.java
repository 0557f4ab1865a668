package dev.mta.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mta.server.config.AdminConfig;
import dev.mta.server.config.ConfigException;
import dev.mta.server.config.ConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin block of mta.conf: defaults, and the refusal of an open admin listener. */
class AdminConfigTest {
    @TempDir
    Path dir;

    private AdminConfig load(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("mta.conf"), "hostname = relay.example.org\n" + text);
        return ConfigLoader.load(file, List.of()).config().admin();
    }

    @Test
    void theShippedConfigurationListensOnLoopbackPort8025WithoutAToken() throws IOException {
        AdminConfig admin = ConfigLoader.load(Path.of("../conf/mta.conf"), List.of("hostname=relay.example.org"))
                .config().admin();
        assertThat(admin.enabled()).isTrue();
        assertThat(admin.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(admin.port()).isEqualTo(8025);
        assertThat(admin.tokenFile()).isEmpty();
    }

    @Test
    void anyLoopbackAddressIsAllowedWithoutAToken() throws IOException {
        assertThat(load("admin.address = \"::1\"\n").address().isLoopbackAddress()).isTrue();
        assertThat(load("admin.address = \"127.0.0.2\"\n").address().isLoopbackAddress()).isTrue();
        assertThat(load("admin.port = 0\n").port()).isZero();
    }

    @Test
    void aPublicAddressWithoutATokenIsRefusedNamingTheFileLineAndKey() {
        assertThatThrownBy(() -> load("admin {\n  address = \"0.0.0.0\"\n}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mta.conf:3: admin.address: 0.0.0.0 is not a loopback address: set admin.token-file");
        assertThatThrownBy(() -> load("admin.address = \"::\"\n")).hasMessageContaining("mta.conf:2: admin.address:");
        assertThatThrownBy(() -> load("admin.address = \"192.0.2.10\"\n")).hasMessageContaining("not a loopback address");
    }

    @Test
    void aPublicAddressWithATokenFileIsAllowed() throws IOException {
        Path token = Files.writeString(dir.resolve("admin.token"), "s3cret\n");
        AdminConfig admin = load("admin { address = \"0.0.0.0\", token-file = \"" + token + "\" }\n");
        assertThat(admin.address().isAnyLocalAddress()).isTrue();
        assertThat(admin.tokenFile()).isEqualTo(Optional.of(token));
    }

    @Test
    void aDisabledListenerMayKeepAPublicAddress() throws IOException {
        assertThat(load("admin { enabled = false, address = \"0.0.0.0\" }\n").enabled()).isFalse();
    }

    @Test
    void otherMistakesNameTheKey() {
        assertThatThrownBy(() -> load("admin.address = localhost\n"))
                .hasMessageContaining("mta.conf:2: admin.address: expected an IP address such as 127.0.0.1 or ::1, not 'localhost'");
        assertThatThrownBy(() -> load("admin.port = 70000\n")).hasMessageContaining("mta.conf:2: admin.port: must be 0..65535");
        assertThatThrownBy(() -> load("admin.port = eighty\n")).hasMessageContaining("admin.port: expected a whole number");
        assertThatThrownBy(() -> load("admin.token-file = \"" + dir.resolve("missing") + "\"\n"))
                .hasMessageContaining("mta.conf:2: admin.token-file: no such file");
        assertThatThrownBy(() -> load("admin.tokenfile = \"x\"\n")).hasMessageContaining("admin.tokenfile: unknown key");
    }
}
