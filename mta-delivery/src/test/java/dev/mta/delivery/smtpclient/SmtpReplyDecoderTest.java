package dev.mta.delivery.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 5321 4.2 reply syntax, fed as a network would: in pieces of any size. */
class SmtpReplyDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new SmtpReplyDecoder());

    @Test
    void decodesAOneLineReply() {
        feed("250 2.1.0 Sender OK\r\n");

        SmtpReply reply = channel.readInbound();
        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.lines()).containsExactly("2.1.0 Sender OK");
        assertThat(reply.enhancedStatus()).contains("2.1.0");
        assertThat(reply.toString()).isEqualTo("250 2.1.0 Sender OK");
    }

    @Test
    void collectsTheLinesOfAMultiLineReply() {
        feed("250-mx.example.com greets you\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 DSN\r\n");

        SmtpReply reply = channel.readInbound();
        assertThat(reply.lines()).containsExactly("mx.example.com greets you", "PIPELINING", "SIZE 1000", "DSN");
        assertThat(reply.text()).isEqualTo("mx.example.com greets you\nPIPELINING\nSIZE 1000\nDSN");
        assertThat((Object) channel.readInbound()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 11})
    void givesTheSameRepliesWhateverTheChunkSize(int chunkSize) {
        byte[] stream = ("220 mx.example.com ESMTP\r\n250-first\r\n250-second\r\n250 third\r\n"
                + "550-5.1.1 No such\r\n550 5.1.1 user\r\n354 Go ahead\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < stream.length; i += chunkSize) {
            channel.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(chunkSize, stream.length - i)));
        }

        List<SmtpReply> replies = readAll();
        assertThat(replies).extracting(SmtpReply::code).containsExactly(220, 250, 550, 354);
        assertThat(replies.get(1).lines()).containsExactly("first", "second", "third");
        assertThat(replies.get(2).enhancedStatus()).contains("5.1.1");
        assertThat(replies.get(2).lines()).containsExactly("5.1.1 No such", "5.1.1 user");
    }

    @Test
    void holdsAPartialLineUntilItsEndArrives() {
        feed("250 2.0.0 O");
        assertThat((Object) channel.readInbound()).isNull();

        feed("K\r\n");
        assertThat(((SmtpReply) channel.readInbound()).lines()).containsExactly("2.0.0 OK");
    }

    @Test
    void acceptsAReplyCodeWithoutText() {
        feed("250\r\n");

        SmtpReply reply = channel.readInbound();
        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.lines()).containsExactly("");
        assertThat(reply.enhancedStatus()).isEmpty();
    }

    @Test
    void acceptsABareLineFeedAsTheEndOfALine() {
        feed("250-one\n250 two\n");

        assertThat(((SmtpReply) channel.readInbound()).lines()).containsExactly("one", "two");
    }

    @Test
    void ignoresAnEnhancedStatusCodeOfTheWrongClass() {
        // RFC 2034 4: a 2yz reply carries 2.x.x; a mismatch is not trusted.
        feed("250 5.1.1 OK really\r\n");

        assertThat(((SmtpReply) channel.readInbound()).enhancedStatus()).isEmpty();
    }

    @Test
    void readsAnEnhancedStatusCodeOnlyAsAWholeWord() {
        feed("550 5.1.10 Recipient not found\r\n451 4.7.1x greylisted\r\n");

        assertThat(((SmtpReply) channel.readInbound()).enhancedStatus()).contains("5.1.10");
        assertThat(((SmtpReply) channel.readInbound()).enhancedStatus()).isEmpty();
    }

    @Test
    void decodesUtf8TextAndReplacesWhatIsNotUtf8() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'2', '5', '0', ' ', (byte) 0xc3, (byte) 0xa9,
                ' ', (byte) 0xff, '\r', '\n'}));

        assertThat(((SmtpReply) channel.readInbound()).lines()).containsExactly("é \uFFFD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello there\r\n", "2x0 OK\r\n", "650 OK\r\n", "199 OK\r\n", "260 OK\r\n",
            "25\r\n", "250x OK\r\n", "\r\n"})
    void refusesWhatIsNotAReplyLine(String line) {
        assertThatThrownBy(() -> feed(line))
                .isInstanceOf(MalformedReplyException.class);
    }

    @Test
    void refusesAContinuationLineWithAnotherCode() {
        assertThatThrownBy(() -> feed("250-first\r\n251 second\r\n"))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("251");
    }

    @Test
    void refusesALineLongerThan2048OctetsEvenBeforeItsEnd() {
        assertThatThrownBy(() -> feed("250 " + "x".repeat(SmtpReplyDecoder.MAX_LINE_LENGTH)))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("2048");
    }

    @Test
    void refusesALongLineThatArrivesWhole() {
        assertThatThrownBy(() -> feed("250 " + "x".repeat(SmtpReplyDecoder.MAX_LINE_LENGTH) + "\r\n"))
                .isInstanceOf(MalformedReplyException.class);
    }

    @Test
    void acceptsALineOf2048Octets() {
        feed("250 " + "x".repeat(SmtpReplyDecoder.MAX_LINE_LENGTH - 6) + "\r\n");

        assertThat(((SmtpReply) channel.readInbound()).lines().getFirst()).hasSize(SmtpReplyDecoder.MAX_LINE_LENGTH - 6);
    }

    @Test
    void refusesAReplyWithTooManyLines() {
        String lines = "250-line\r\n".repeat(SmtpReplyDecoder.MAX_LINES) + "250 last\r\n";

        assertThatThrownBy(() -> feed(lines)).isInstanceOf(MalformedReplyException.class);
    }

    @Test
    void deliversTheRepliesBeforeTheGarbageAndNothingAfterIt() {
        assertThatThrownBy(() -> feed("250 OK\r\ngarbage\r\n"))
                .isInstanceOf(MalformedReplyException.class);
        feed("250 after the garbage\r\n");

        assertThat(readAll()).extracting(SmtpReply::toString).containsExactly("250 OK");
    }

    @Test
    void tellsWhetherBytesWaitBeyondTheLastReply() {
        SmtpReplyDecoder decoder = channel.pipeline().get(SmtpReplyDecoder.class);
        feed("220 Go ahead\r\n");
        assertThat(decoder.holdsUnreadBytes()).isFalse();

        feed("250 inj");
        assertThat(decoder.holdsUnreadBytes()).isTrue();
    }

    @Test
    void aReplyMadeInCodeReadsItsStatusToo() {
        assertThat(SmtpReply.of(452, "4.5.3 Too many recipients").enhancedStatus()).isEqualTo(Optional.of("4.5.3"));
        assertThat(SmtpReply.of(452, "4.5.3 Too many recipients").isTransient()).isTrue();
    }

    private void feed(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private List<SmtpReply> readAll() {
        List<SmtpReply> replies = new ArrayList<>();
        SmtpReply reply;
        while ((reply = channel.readInbound()) != null) {
            replies.add(reply);
        }
        return replies;
    }
}
