package dev.mta.delivery.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmtpCommandEncoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(SmtpCommandEncoder.INSTANCE);

    @Test
    void writesTheLineAndCrLf() {
        channel.writeOutbound(SmtpCommand.of("MAIL FROM:<alice@example.org> SIZE=10"));

        assertThat(written()).isEqualTo("MAIL FROM:<alice@example.org> SIZE=10\r\n");
    }

    @Test
    void writesNonAsciiPathsAsUtf8() {
        channel.writeOutbound(SmtpCommand.of("RCPT TO:<jöran@example.org>"));

        assertThat(written()).isEqualTo("RCPT TO:<jöran@example.org>\r\n");
    }

    @Test
    void aCommandCannotHoldALineBreak() {
        // RFC 5321 2.3.8: one command per line; a CR or LF inside would inject another.
        assertThatThrownBy(() -> SmtpCommand.of("RCPT TO:<a@example.org>\r\nRCPT TO:<b@example.org>"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpCommand.of("NOOP\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecretCommandIsHiddenInLogs() {
        assertThat(SmtpCommand.secret("AUTH PLAIN AGFsaWNlAHNlY3JldA==").toString()).isEqualTo("AUTH PLAIN <hidden>");
        assertThat(SmtpCommand.secret("c2VjcmV0").toString()).isEqualTo("<hidden>");
    }

    private String written() {
        ByteBuf buffer = channel.readOutbound();
        try {
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            buffer.release();
        }
    }
}
