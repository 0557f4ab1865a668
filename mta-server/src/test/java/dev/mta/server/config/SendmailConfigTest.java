package dev.mta.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendmailConfigTest {
    @TempDir
    Path dir;

    private SendmailConfig load(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("mta.conf"), "hostname = relay.example.org\n" + text);
        return ConfigLoader.load(file, List.of()).config().sendmail();
    }

    @Test
    void theOriginDefaultsToTheHostnameAndNothingIsRewritten() throws IOException {
        SendmailConfig sendmail = ConfigLoader.load(Path.of("../conf/mta.conf"), List.of("hostname=relay.example.org"))
                .config().sendmail();
        assertThat(sendmail.originDomain()).isEqualTo("relay.example.org");
        assertThat(sendmail.rewrite()).isEmpty();
    }

    @Test
    void localNamesInTheRewriteMapAreQualifiedWithTheOrigin() throws IOException {
        SendmailConfig sendmail = load("""
                sendmail { origin-domain = Example.ORG, rewrite { "root" = "ops@example.org", "Www@Other.Example" = "web@example.org" } }
                """);
        assertThat(sendmail.originDomain()).isEqualTo("example.org");
        assertThat(sendmail.rewrite()).isEqualTo(Map.of("root@example.org", "ops@example.org", "www@other.example", "web@example.org"));
    }

    @Test
    void mistakesNameTheFileLineAndKey() {
        assertThatThrownBy(() -> load("sendmail.origin-domain = \"not a domain\"\n"))
                .hasMessageContaining("mta.conf:2: sendmail.origin-domain: not a domain name");
        assertThatThrownBy(() -> load("sendmail.rewrite { root = nobody }\n"))
                .hasMessageContaining("sendmail.rewrite.root: expected the address to deliver to instead");
        assertThatThrownBy(() -> load("sendmail.rewrite { root { to = \"a@b.example\" } }\n"))
                .hasMessageContaining("sendmail.rewrite.root: expected a value, e.g. \"root\" = \"ops@example.org\"");
        assertThatThrownBy(() -> load("sendmail.aliases { }\n")).hasMessageContaining("sendmail.aliases: unknown key");
    }
}
