package dev.mta.server.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Splits the byte stream into lines for James' session handler, and owns the session clocks.
 *
 * <p>Each line is passed on with its terminator, so handlers can tell CRLF from a bare LF (the
 * smuggling defence needs that). A line longer than {@code maxLine} is passed on in pieces
 * without terminator, so handlers can refuse it without the framer dropping bytes silently.
 *
 * <p>Bytes that arrive with a STARTTLS line, and bytes still buffered when the TLS handler
 * appears, came in clear and are dropped: nothing sent before the handshake may be read as if it
 * came through TLS.
 *
 * <p>It runs on James' executor, not the event loop: {@link ReadBackpressure} in front of it
 * stops reading the socket while too much waits for it.
 *
 * <p>Timeouts answer 421 4.4.2 before closing (RFC 5321 4.5.3.2.7, 3.8): one when the client is
 * silent for {@code idleTimeout}, one when the whole session exceeds {@code sessionTimeout}.
 */
final class SmtpFramer extends ByteToMessageDecoder {
    private final int maxLine;
    private final String hostname;
    private final long idleNanos;
    private final Duration sessionTimeout;

    private boolean tlsSeen;
    /** Told what this framer has read, so the event loop reads on; none in a bare test channel. */
    private ReadBackpressure backpressure;
    private int plaintextBuffered;
    private long lastReadNanos;
    private ScheduledFuture<?> idleCheck;
    private ScheduledFuture<?> sessionLimit;

    SmtpFramer(int maxLine, String hostname, Duration idleTimeout, Duration sessionTimeout) {
        this.maxLine = maxLine;
        this.hostname = hostname;
        this.idleNanos = idleTimeout.toNanos();
        this.sessionTimeout = sessionTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        tlsSeen = ctx.pipeline().get(SslHandler.class) != null;
        backpressure = ctx.pipeline().get(ReadBackpressure.class);
        lastReadNanos = System.nanoTime();
        idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), idleNanos, TimeUnit.NANOSECONDS);
        sessionLimit = ctx.executor().schedule(
                () -> closeWith(ctx, "421 4.4.2 " + hostname + " Error: session time limit exceeded"),
                sessionTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimers();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimers();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastReadNanos = System.nanoTime();
        int bytes = msg instanceof ByteBuf buffer ? buffer.readableBytes() : 0;
        super.channelRead(ctx, msg);
        if (backpressure != null) {
            backpressure.consumed(ctx.channel(), bytes);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!tlsSeen && ctx.pipeline().get(SslHandler.class) != null) {
            tlsSeen = true;
            in.skipBytes(Math.min(plaintextBuffered, in.readableBytes()));
        }
        while (in.isReadable()) {
            int lineEnd = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            int available = lineEnd < 0 ? in.readableBytes() : lineEnd - in.readerIndex() + 1;
            if (available > maxLine) {
                out.add(in.readRetainedSlice(maxLine));
            } else if (lineEnd >= 0) {
                ByteBuf line = in.readRetainedSlice(available);
                out.add(line);
                if (!tlsSeen && isStartTls(line) && in.isReadable()) {
                    // RFC 3207 4: nothing may follow STARTTLS before the server's answer. Bytes
                    // that came with it are a man in the middle's (CVE-2011-0411 class); James
                    // runs commands on another thread than this decoder, so they could otherwise
                    // be read after the handshake as if they had come through TLS.
                    in.skipBytes(in.readableBytes());
                }
            } else {
                break;
            }
        }
        plaintextBuffered = tlsSeen ? 0 : in.readableBytes();
    }

    private static boolean isStartTls(ByteBuf line) {
        String text = line.toString(StandardCharsets.US_ASCII).strip();
        return text.equalsIgnoreCase("STARTTLS");
    }

    private void checkIdle(ChannelHandlerContext ctx) {
        long idleFor = System.nanoTime() - lastReadNanos;
        if (idleFor >= idleNanos) {
            closeWith(ctx, "421 4.4.2 " + hostname + " Error: timeout exceeded");
        } else if (ctx.channel().isActive()) {
            idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), idleNanos - idleFor, TimeUnit.NANOSECONDS);
        }
    }

    private void closeWith(ChannelHandlerContext ctx, String reply) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.copiedBuffer(reply + "\r\n", StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void cancelTimers() {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (sessionLimit != null) {
            sessionLimit.cancel(false);
        }
    }
}
