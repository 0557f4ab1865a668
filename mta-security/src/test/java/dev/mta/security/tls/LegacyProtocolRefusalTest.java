package dev.mta.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK refuses TLS 1.0 and 1.1 on its own, which would hide whether {@link ServerTlsContext}
 * does. So the handshakes run in a child JVM that re-allows them (a security property, fixed
 * once a JVM has used TLS), and the first one shows that JVM really speaks TLS 1.1.
 */
class LegacyProtocolRefusalTest {
    private static final Map<String, String> OUTCOMES = new HashMap<>();

    @BeforeAll
    static void runHandshakesInAJvmThatAllowsLegacyTls() throws IOException, InterruptedException, URISyntaxException {
        Path properties = Path.of(LegacyProtocolRefusalTest.class.getResource("/legacy-tls-allowed.security").toURI());
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.properties=" + properties,
                "-cp", System.getProperty("java.class.path"),
                LegacyTlsProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        assertThat(process.exitValue()).as("probe exit status; output:%n%s", output).isZero();
        for (String line : output.strip().split("\\R")) {
            String[] fields = line.split(" ", 2);
            if (fields.length == 2) {
                OUTCOMES.put(fields[0], fields[1]);
            }
        }
    }

    @Test
    void theProbeJvmSpeaksTls11WhenAServerAllowsIt() {
        assertThat(OUTCOMES).containsEntry("control-tls11", "TLSv1.1");
    }

    @Test
    void aTls11ClientIsRefused() {
        assertThat(OUTCOMES).containsEntry("policy-tls11", "refused");
    }

    @Test
    void aTls10ClientIsRefused() {
        assertThat(OUTCOMES).containsEntry("policy-tls10", "refused");
    }

    @Test
    void aClientOfferingTls12AndTls11GetsTls12() {
        assertThat(OUTCOMES).containsEntry("policy-tls12-or-tls11", "TLSv1.2");
    }
}
