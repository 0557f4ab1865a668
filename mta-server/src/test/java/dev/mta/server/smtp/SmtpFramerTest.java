package dev.mta.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line framer on its own, fed bytes in the chunks an attacker would choose. */
class SmtpFramerTest {

    private static List<String> lines(EmbeddedChannel channel) {
        List<String> lines = new ArrayList<>();
        ByteBuf line;
        while ((line = channel.readInbound()) != null) {
            lines.add(line.toString(StandardCharsets.US_ASCII));
            line.release();
        }
        return lines;
    }

    private static EmbeddedChannel framer() {
        return new EmbeddedChannel(new SmtpFramer(1000, "relay.test", Duration.ofMinutes(5), Duration.ofMinutes(30)));
    }

    @Test
    void commandsPipelinedBehindStartTlsInTheSameSegmentAreDropped() {
        EmbeddedChannel channel = framer();
        channel.writeInbound(Unpooled.copiedBuffer(
                "EHLO a\r\nstarttls\r\nMAIL FROM:<attacker@example.org>\r\nRCPT TO:<victim@example.net>\r\n",
                StandardCharsets.US_ASCII));
        assertThat(lines(channel)).containsExactly("EHLO a\r\n", "starttls\r\n");
        channel.finishAndReleaseAll();
    }

    @Test
    void pipelinedCommandsWithoutStartTlsAllGoThrough() {
        EmbeddedChannel channel = framer();
        channel.writeInbound(Unpooled.copiedBuffer("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n",
                StandardCharsets.US_ASCII));
        assertThat(lines(channel)).containsExactly("MAIL FROM:<a@example.org>\r\n", "RCPT TO:<b@example.net>\r\n", "DATA\r\n");
        channel.finishAndReleaseAll();
    }

    @Test
    void aLineSplitAcrossReadsIsOneLine() {
        EmbeddedChannel channel = framer();
        channel.writeInbound(Unpooled.copiedBuffer("NO", StandardCharsets.US_ASCII));
        channel.writeInbound(Unpooled.copiedBuffer("OP\r\n", StandardCharsets.US_ASCII));
        assertThat(lines(channel)).containsExactly("NOOP\r\n");
        channel.finishAndReleaseAll();
    }
}
