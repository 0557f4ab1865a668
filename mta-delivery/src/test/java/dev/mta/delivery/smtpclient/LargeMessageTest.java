package dev.mta.delivery.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.ReceivedMessage;
import dev.mta.testsupport.smtp.SmtpSinkServer;
import dev.mta.testsupport.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The content is streamed, never held whole: a 50 MiB message goes out over TLS from a client
 * in a separate JVM whose heap (32 MiB) and direct memory (16 MiB) could not hold it even once.
 * A client that read the content whole, or queued it faster than the socket drains, would die
 * of OutOfMemoryError there. (A 256 MiB heap, as first planned, would hold the message several
 * times over and prove nothing.)
 */
class LargeMessageTest {
    private static final long LINE = 78;
    private static final long SIZE = 50L * 1024 * 1024 / LINE * LINE;

    @Test
    void streamsAFiftyMegabyteMessageThroughAClientThatCannotHoldIt() throws Exception {
        try (SmtpSinkServer sink = SmtpSinkServer.builder()
                .startTls(TestCertificates.ec().selfSignedLeaf(Outbound.MX_HOST).serverSslContext())
                .maxMessageSize(1L << 30).discardData().start()) {
            List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx32m", "-XX:MaxDirectMemorySize=16m",
                    "-cp", System.getProperty("java.class.path"), LargeMessageSender.class.getName(),
                    sink.host(), Integer.toString(sink.port()), Long.toString(SIZE)));
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            child.getOutputStream().close();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();

            assertThat(child.exitValue()).as(output).isZero();
            ReceivedMessage received = sink.awaitMessages(1, Duration.ofSeconds(10)).getFirst();
            assertThat(received.dataSize()).isEqualTo(SIZE);
            assertThat(received.dataSha256()).isEqualTo(expectedSha256());
            assertThat(received.tls()).isPresent();
        }
    }

    private static String expectedSha256() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        try (GeneratedContent content = new GeneratedContent(SIZE)) {
            int count;
            while ((count = content.read(buffer, 0, buffer.length)) > 0) {
                digest.update(buffer, 0, count);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
