package dev.mta.server.pickup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CrlfOutputStreamTest {

    private static String convert(String input, int chunk) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        CrlfOutputStream out = new CrlfOutputStream(sink);
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += chunk) {
            out.write(bytes, i, Math.min(chunk, bytes.length - i));
        }
        out.finish();
        assertThat(out.written()).isEqualTo(sink.size());
        return sink.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void bareLfBecomesCrlfAndCrlfIsKeptWhateverTheChunking() throws Exception {
        String input = "a\nb\r\nc\rd\n\n\r\ne";
        for (int chunk = 1; chunk <= input.length(); chunk++) {
            assertThat(convert(input, chunk)).as("chunk %d", chunk).isEqualTo("a\r\nb\r\nc\rd\r\n\r\n\r\ne\r\n");
        }
    }

    @Test
    void singleByteWritesConvertToo() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        CrlfOutputStream out = new CrlfOutputStream(sink);
        for (byte b : "x\r\ny\n".getBytes(StandardCharsets.US_ASCII)) {
            out.write(b);
        }
        out.finish();
        assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo("x\r\ny\r\n");
    }

    @Test
    void anEmptyMessageStaysEmpty() throws Exception {
        assertThat(convert("", 1)).isEmpty();
    }
}
