package dev.mta.delivery.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A large original with RET=FULL is streamed through, never held in memory. */
class LargeOriginalTest {

    private static final DsnReport REPORT = Reports.report(List.of(Reports.failed("bob@example.com")));

    @Test
    void aTwentyFourMegabyteOriginalIsReturnedByteForByte() throws Exception {
        long size = 24L * 1024 * 1024;
        // The same DSN around a small original gives what comes before and after the returned message.
        byte[] small = new byte[4096];
        try (InputStream in = new GeneratedOriginal(small.length)) {
            in.readNBytes(small, 0, small.length);
        }
        String frame = Reports.compose(REPORT, Reports.original(small)).text();
        String smallText = new String(small, StandardCharsets.US_ASCII);
        String before = frame.substring(0, frame.indexOf(smallText));
        String after = frame.substring(frame.indexOf(smallText) + smallText.length());

        CountingDigest actual = new CountingDigest();
        ComposedDsn composed = Reports.composer().write(REPORT, GeneratedOriginal.of(size), actual);

        CountingDigest expected = new CountingDigest();
        expected.write(before.getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = new GeneratedOriginal(size)) {
            in.transferTo(expected);
        }
        expected.write(after.getBytes(StandardCharsets.US_ASCII));
        assertThat(actual.count).isEqualTo(expected.count).isGreaterThan(size);
        assertThat(actual.hex()).isEqualTo(expected.hex());
        assertThat(composed.returned()).isEqualTo(ReturnContent.FULL);
        assertThat(composed.eightBitMime()).isFalse();
    }

    @Test
    void aSixtyFourMegabyteOriginalIsComposedWithin32MegabytesOfHeap() throws Exception {
        long size = 64L * 1024 * 1024;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx32m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), BoundedHeapComposition.class.getName(), Long.toString(size))
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        String[] words = output.strip().split(" ");
        assertThat(words[0]).isEqualTo("FULL");
        assertThat(Long.parseLong(words[1])).isGreaterThan(size);
    }

    /** Counts and hashes what is written, keeping nothing. */
    private static final class CountingDigest extends OutputStream {
        private final MessageDigest digest;
        private final OutputStream sink;
        long count;

        CountingDigest() throws NoSuchAlgorithmException {
            digest = MessageDigest.getInstance("SHA-256");
            sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest);
        }

        @Override
        public void write(int b) throws IOException {
            sink.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            sink.write(b, off, len);
            count += len;
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
