package dev.mta.delivery.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 5321 4.5.2 transparency and the end of data, across chunk boundaries. */
class DotStuffedBodyTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 16384})
    void stuffsEveryLineThatStartsWithADotWhateverTheChunkSize(int chunkSize) {
        String content = ".first\r\nsecond\r\n..third\r\n.\r\nlast.\r\n";

        assertThat(send(content, chunkSize)).isEqualTo("..first\r\nsecond\r\n...third\r\n..\r\nlast.\r\n.\r\n");
    }

    @Test
    void endsContentThatEndsWithCrLfWithDotCrLf() {
        assertThat(send("Subject: hi\r\n\r\nbody\r\n", 4)).isEqualTo("Subject: hi\r\n\r\nbody\r\n.\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"no line end", "ends with CR\r", "ends with LF\n"})
    void addsTheMissingCrLfBeforeTheEnd(String content) {
        assertThat(send(content, 3)).isEqualTo(content + "\r\n.\r\n");
    }

    @Test
    void sendsEmptyContentAsTheEndAlone() {
        assertThat(send("", 5)).isEqualTo(".\r\n");
    }

    @Test
    void stuffsADotAfterABareLineFeedSoNoServerCanEndTheDataThere() {
        assertThat(send("one\n.\r\ntwo\r\n", 2)).isEqualTo("one\n..\r\ntwo\r\n.\r\n");
    }

    @Test
    void leavesADotAfterABareCarriageReturn() {
        assertThat(send("one\r.two\r\n", 1)).isEqualTo("one\r.two\r\n.\r\n");
    }

    @Test
    void passesEightBitOctetsUntouched() {
        byte[] content = {'.', (byte) 0xe9, '\r', '\n', (byte) 0xff, '\r', '\n'};

        byte[] sent = sendBytes(content, 2);

        assertThat(sent).containsExactly('.', '.', (byte) 0xe9, '\r', '\n', (byte) 0xff, '\r', '\n', '.', '\r', '\n');
    }

    @Test
    void signalsProgressBeforeEachChunkAndCountsContentOctets() {
        AtomicInteger chunks = new AtomicInteger();
        DotStuffedBody body = new DotStuffedBody(stream("0123456789"), chunks::incrementAndGet, 4);
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkedWriteHandler());
        channel.writeOutbound(body);

        drain(channel);
        // 4 + 4 + 2 octets, then the read that finds the end.
        assertThat(chunks).hasValue(4);
        assertThat(body.progress()).isEqualTo(10);
        assertThat(body.isEndOfInput()).isTrue();
    }

    @Test
    void failsTheWriteWithABodyReadExceptionWhenTheSourceFails() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkedWriteHandler());

        ChannelFuture write = channel.writeAndFlush(new DotStuffedBody(failing, () -> { }, 8));

        assertThat(write.cause()).isInstanceOf(BodyReadException.class).hasMessageContaining("disk on fire");
        assertThatCode(channel::checkException).doesNotThrowAnyException();
    }

    @Test
    void closesTheSourceWhenDone() {
        AtomicInteger closed = new AtomicInteger();
        InputStream content = new ByteArrayInputStream("x\r\n".getBytes(StandardCharsets.US_ASCII)) {
            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkedWriteHandler());
        channel.writeOutbound(new DotStuffedBody(content, () -> { }, 8));
        drain(channel);

        assertThat(closed).hasValue(1);
    }

    private static String send(String content, int chunkSize) {
        return new String(sendBytes(content.getBytes(StandardCharsets.UTF_8), chunkSize), StandardCharsets.UTF_8);
    }

    private static byte[] sendBytes(byte[] content, int chunkSize) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkedWriteHandler());
        channel.writeOutbound(new DotStuffedBody(new ByteArrayInputStream(content), () -> { }, chunkSize));
        return drain(channel);
    }

    private static byte[] drain(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf chunk;
        while ((chunk = channel.readOutbound()) != null) {
            byte[] bytes = new byte[chunk.readableBytes()];
            chunk.readBytes(bytes);
            chunk.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
