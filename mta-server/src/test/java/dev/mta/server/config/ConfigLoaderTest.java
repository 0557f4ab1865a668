package dev.mta.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final Path SHIPPED = Path.of("../conf/mta.conf");

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("mta.conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void shippedConfigurationLoadsWithDocumentedDefaults() {
        RelayConfig config = ConfigLoader.load(SHIPPED, List.of()).config();
        assertThat(config.dataDirectory()).isEqualTo(Path.of("data"));
        assertThat(config.smtp().listeners()).extracting(ListenerConfig::name)
                .containsExactlyInAnyOrder("relay", "submission", "submissions");
        assertThat(config.smtp().listeners()).allMatch(l -> l.port() > 1024 && l.address().equals("127.0.0.1"));
        assertThat(config.smtp().maxMessageSize()).isEqualTo(25L * 1024 * 1024);
        assertThat(config.smtp().maxRecipients()).isEqualTo(100);
        assertThat(config.smtp().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.smtp().bareLineEndings()).isEqualTo(SmtpConfig.BareLineEndings.NORMALIZE);
        assertThat(config.smtp().relayNetworks()).containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
        assertThat(config.queue().minFreeSpace()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.hostname()).isNotBlank();
    }

    @Test
    void everyKnownKeyIsDocumentedInTheShippedFile() throws IOException {
        String shipped = Files.readString(SHIPPED);
        Config defaults = ConfigLoader.defaults();
        for (Map.Entry<String, com.typesafe.config.ConfigValue> entry : defaults.entrySet()) {
            String leaf = entry.getKey().substring(entry.getKey().lastIndexOf('.') + 1);
            assertThat(shipped).as("conf/mta.conf documents " + entry.getKey()).containsPattern("(?m)^\\s*" + leaf + " =");
        }
    }

    @Test
    void unknownKeyIsReportedWithFileAndLine() throws IOException {
        Path file = write("hostname = \"relay.example.org\"\nsmtp {\n  max-recipents = 5\n}\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: smtp.max-recipents: unknown key");
    }

    @Test
    void malformedDurationNamesKeyAndLine() throws IOException {
        Path file = write("smtp.idle-timeout = soon\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessageContaining(file + ":1: smtp.idle-timeout: expected a duration such as 30s, 5m, 4h or 5d, not 'soon'");
    }

    @Test
    void sessionLimitsMustBeSensible() throws IOException {
        Path perClient = write("smtp.max-connections = 10\nsmtp.max-connections-per-client = 11\n");
        assertThatThrownBy(() -> ConfigLoader.load(perClient, List.of()))
                .hasMessageContaining(perClient + ":2: smtp.max-connections-per-client: is larger than smtp.max-connections");
        Path errors = write("smtp.max-errors = 0\n");
        assertThatThrownBy(() -> ConfigLoader.load(errors, List.of()))
                .hasMessageContaining(errors + ":1: smtp.max-errors: must be at least 1");
    }

    @Test
    void malformedSizeNamesKeyAndLine() throws IOException {
        Path file = write("\n\nsmtp.max-message-size = huge\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessageContaining(file + ":3: smtp.max-message-size: expected a size such as 512K, 25M or 1G, not 'huge'");
    }

    @Test
    void sizesAndDurationsReadAsAHumanWritesThem() throws IOException {
        Path file = write("smtp.max-message-size = 50M\nsmtp.idle-timeout = 90s\nsmtp.session-timeout = 1h\nqueue.min-free-space = 1G\n");
        RelayConfig config = ConfigLoader.load(file, List.of()).config();
        assertThat(config.smtp().maxMessageSize()).isEqualTo(50L << 20);
        assertThat(config.smtp().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.smtp().sessionTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(config.queue().minFreeSpace()).isEqualTo(1L << 30);
        assertThat(config.queue().reserveSpace()).as("default").isEqualTo(16L << 20);
    }

    @Test
    void aNegativeSpaceReserveIsRefused() throws IOException {
        Path file = write("queue.reserve-space = -1M\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessageContaining("queue.reserve-space");
    }

    @Test
    void syntaxErrorNamesTheLine() throws IOException {
        Path file = write("hostname = \"a\"\nsmtp {\n  max-recipients = \n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":");
    }

    @Test
    void missingFileIsAClearError() {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> ConfigLoader.load(missing, List.of()))
                .hasMessage(missing + ": no such configuration file");
    }

    @Test
    void overridesWinOverTheFileAndAreChecked() throws IOException {
        Path file = write("smtp.max-recipients = 10\n");
        RelayConfig config = ConfigLoader.load(file, List.of("smtp.max-recipients=20", "smtp.listeners.relay.port=0",
                "data-directory=/var/tmp/mta-test")).config();
        assertThat(config.smtp().maxRecipients()).isEqualTo(20);
        assertThat(config.smtp().listeners()).filteredOn(l -> l.name().equals("relay")).singleElement()
                .extracting(ListenerConfig::port).isEqualTo(0);
        assertThat(config.dataDirectory()).isEqualTo(Path.of("/var/tmp/mta-test"));
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of("smtp.nonsense=1")))
                .hasMessage("-o smtp.nonsense=1: smtp.nonsense: unknown key");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of("noequals")))
                .hasMessage("-o noequals: expected key=value");
    }

    @Test
    void listenerModeMustBeKnown() throws IOException {
        Path file = write("smtp.listeners.relay.mode = smtps\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessage(file + ":1: smtp.listeners.relay.mode: must be relay, submission or submissions, not 'smtps'");
    }

    @Test
    void listenerWithUnknownKeyIsRefused() throws IOException {
        Path file = write("smtp.listeners.extra { port = 2600, mode = relay, tls = yes }\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessageContaining(file + ":1: smtp.listeners.extra.tls: unknown key");
    }

    @Test
    void twoListenersOnOnePortContradict() throws IOException {
        Path file = write("smtp.listeners.extra { port = 2525, mode = submission }\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessageContaining("already uses 127.0.0.1:2525");
    }

    @Test
    void certificateWithoutKeyContradicts() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path file = write("smtp.tls.certificate = \"" + cert + "\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessage(file + ":1: smtp.tls.certificate: is set but smtp.tls.private-key is not: give both, or neither for a self-signed certificate");
    }

    @Test
    void missingReferencedFileIsAnError() throws IOException {
        Path file = write("smtp.tls.certificate = /nonexistent/cert.pem\nsmtp.tls.private-key = /nonexistent/key.pem\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessage(file + ":1: smtp.tls.certificate: no such file: /nonexistent/cert.pem");
    }

    @Test
    void badRelayNetworkIsAnError() throws IOException {
        Path file = write("smtp.relay-networks = [\"10.0.0.0/33\"]\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessageContaining("smtp.relay-networks: prefix length must be 0..32");
    }

    @Test
    void sessionShorterThanIdleTimeoutContradicts() throws IOException {
        Path file = write("smtp.idle-timeout = 10m\nsmtp.session-timeout = 5m\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of()))
                .hasMessage(file + ":2: smtp.session-timeout: is shorter than smtp.idle-timeout");
    }

    @Test
    void describeShowsEveryKeyAndItsSource() throws IOException {
        Path file = write("smtp.max-recipients = 7\n");
        String described = ConfigLoader.load(file, List.of("smtp.idle-timeout=2m")).describe();
        assertThat(described).contains("smtp.max-recipients = 7    # " + file + ":1");
        assertThat(described).contains("smtp.idle-timeout = 2m    # -o smtp.idle-timeout=2m");
        assertThat(described).contains("smtp.max-header-size = 1M    # built-in default");
    }
}
