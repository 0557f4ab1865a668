package dev.mta.server.smtp;

import io.netty.buffer.Unpooled;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of one listener: logs each connection and its end, keeps the open ones (for the
 * active-sessions gauge and for closing at the end of a stop), and while the relay shuts down
 * answers a new connection with 421 instead of a greeting (RFC 5321 3.1) and closes it.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
    private static final AttributeKey<Long> OPENED = AttributeKey.valueOf("mta.connectionOpened");

    private final ListenerContext context;
    private final ChannelGroup open = new DefaultChannelGroup("smtp-sessions", GlobalEventExecutor.INSTANCE);
    // Sessions open per client address; an entry goes when its last session ends.
    private final java.util.concurrent.ConcurrentHashMap<java.net.InetAddress, Integer> perClient =
            new java.util.concurrent.ConcurrentHashMap<>();

    ConnectionGate(ListenerContext context) {
        this.context = context;
        context.metrics().bindActiveConnections(open::size);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        String client = client(ctx.channel());
        if (context.draining()) {
            context.metrics().connection(true);
            LOG.info("connect refused from={} listener={}: shutting down", client, context.listener().name());
            ctx.writeAndFlush(Unpooled.copiedBuffer(shuttingDown(), StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
            return; // no greeting: James never sees this connection
        }
        java.util.Optional<String> overLimit = admit(ctx.channel());
        if (overLimit.isPresent()) {
            context.metrics().connection(true);
            LOG.info("connect refused from={} listener={}: {}", client, context.listener().name(), overLimit.get());
            ctx.writeAndFlush(Unpooled.copiedBuffer("421 4.7.0 " + context.hostname() + " Error: " + overLimit.get() + "\r\n",
                    StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().attr(OPENED).set(System.nanoTime());
        open.add(ctx.channel());
        context.metrics().connection(false);
        LOG.info("connect from={} listener={}", client, context.listener().name());
        super.channelActive(ctx);
    }

    /**
     * Counts the session in, or says which limit it would break (smtp.max-connections,
     * smtp.max-connections-per-client). Runs on the connection's event loop; the counts are
     * shared by all of them.
     */
    private java.util.Optional<String> admit(Channel channel) {
        dev.mta.server.config.SmtpConfig.SessionLimits limits = context.smtp().limits();
        if (open.size() >= limits.maxConnections()) {
            return java.util.Optional.of("too many connections");
        }
        java.net.InetAddress address = ((InetSocketAddress) channel.remoteAddress()).getAddress();
        boolean[] admitted = {false};
        perClient.compute(address, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= limits.maxConnectionsPerClient()) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0] ? java.util.Optional.empty()
                : java.util.Optional.of("too many connections from " + address.getHostAddress());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Long opened = ctx.channel().attr(OPENED).get();
        if (opened != null) {
            java.net.InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            perClient.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            String protocol = tls != null && tls.handshakeFuture().isSuccess() ? tls.engine().getSession().getProtocol() : "none";
            LOG.info("disconnect from={} listener={} duration={}ms tls={}", client(ctx.channel()), context.listener().name(),
                    Duration.ofNanos(System.nanoTime() - opened).toMillis(), protocol);
        }
        super.channelInactive(ctx);
    }

    /**
     * Ends, with 421, every open session that is not inside a mail transaction: it has nothing to
     * finish, and waiting for it would only stretch the stop. One inside a transaction may finish it.
     */
    void closeIdle() {
        for (Channel channel : open) {
            if (channel.attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get() instanceof SMTPSession session
                    && session.getAttachment(SessionKeys.MAIL, ProtocolSession.State.Transaction).isEmpty()) {
                channel.writeAndFlush(Unpooled.copiedBuffer(shuttingDown(), StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** Stops reading from the session of {@code client} (address and port) for {@code pause}. */
    void pauseReading(java.net.SocketAddress client, Duration pause) {
        for (Channel channel : open) {
            if (client.equals(channel.remoteAddress())) {
                channel.config().setAutoRead(false);
                channel.eventLoop().schedule(() -> {
                    channel.config().setAutoRead(true);
                }, pause.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
    }

    int openSessions() {
        return open.size();
    }

    /** Ends every session still open: 421 (RFC 5321 3.8), then close. Whatever was not answered 250 is the client's to retry. */
    void closeAll() {
        // Per channel, the write is queued before the close, so the 421 goes out first.
        open.writeAndFlush(Unpooled.copiedBuffer(shuttingDown(), StandardCharsets.US_ASCII));
        open.close().awaitUninterruptibly(5_000);
    }

    private String shuttingDown() {
        return String.join("\r\n", Replies.shuttingDown(context.hostname()).getLines()) + "\r\n";
    }

    private static String client(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress address
                ? address.getAddress().getHostAddress() + ":" + address.getPort()
                : String.valueOf(channel.remoteAddress());
    }
}
