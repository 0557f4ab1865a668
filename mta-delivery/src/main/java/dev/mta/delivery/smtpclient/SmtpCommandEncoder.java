package dev.mta.delivery.smtpclient;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@link SmtpCommand} into its line and CRLF (RFC 5321 2.3.8). UTF-8, which is ASCII for every
 * command except paths under SMTPUTF8 (RFC 6531 3.3). Does no I/O.
 */
@Sharable
final class SmtpCommandEncoder extends MessageToByteEncoder<SmtpCommand> {
    static final SmtpCommandEncoder INSTANCE = new SmtpCommandEncoder();

    @Override
    protected void encode(ChannelHandlerContext ctx, SmtpCommand command, ByteBuf out) {
        out.writeCharSequence(command.line(), StandardCharsets.UTF_8);
        out.writeByte('\r');
        out.writeByte('\n');
    }
}
