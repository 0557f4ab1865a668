package dev.mta.server.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stops reading a client's socket while too many of its bytes wait for the framer.
 *
 * <p>James runs the framer ({@link SmtpFramer}) and the session on an executor of their own, so
 * every buffer the event loop reads (and, under TLS, decrypts) is queued as a task for that
 * executor, without limit. A client that sends faster than its session is processed (an endless
 * line, a body far over the size limit) would fill the memory of the whole relay with its
 * queue. This handler sits on the event loop just before the hand-off and counts the bytes
 * passed on; the framer reports what it has taken ({@link #consumed}). Above {@link #HIGH} the
 * socket is no longer read, so TCP flow control holds the client back; at {@link #LOW} reading
 * starts again. Both decisions are taken on the event loop, so a report cannot slip between a
 * count and the switch it leads to.
 */
final class ReadBackpressure extends ChannelInboundHandlerAdapter {
    static final long HIGH = 256 * 1024;
    static final long LOW = 64 * 1024;

    private final AtomicLong waiting = new AtomicLong();
    /** Written on the event loop only; read by the framer's thread to know whether to report. */
    private volatile boolean paused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && waiting.addAndGet(bytes.readableBytes()) > HIGH && !paused) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
            // The framer may have taken it all between the count and the flag, seeing no pause.
            resumeIfDrained(ctx.channel());
        }
        ctx.fireChannelRead(msg);
    }

    /** Called by the framer, on its own thread, for each buffer it has read. */
    void consumed(Channel channel, int bytes) {
        if (waiting.addAndGet(-bytes) <= LOW && paused) {
            channel.eventLoop().execute(() -> resumeIfDrained(channel));
        }
    }

    private void resumeIfDrained(Channel channel) {
        if (paused && waiting.get() <= LOW) {
            paused = false;
            channel.config().setAutoRead(true);
        }
    }
}
