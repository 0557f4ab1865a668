package dev.mta.server.admin;

import dev.mta.server.config.AdminConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP listener: health checks and metrics, and whatever further routes the relay
 * plugs in (the queue API, the status page). It runs one event-loop thread of its own so that a
 * busy SMTP side never delays a health probe; routes that may block run on virtual threads.
 * Requests are small; anything larger than {@link #MAX_REQUEST_BYTES} is refused, and a
 * connection silent for the idle timeout is closed.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    /** A connection that sends nothing for this long is closed (a scraper reconnects). */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Request line, headers and body each stay within this. */
    public static final int MAX_REQUEST_BYTES = 8 * 1024;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ExecutorService blocking;

    private AdminServer(EventLoopGroup group, Channel serverChannel, ExecutorService blocking) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.blocking = blocking;
    }

    /** Starts the listener the configuration describes, loading its token file if it names one. */
    public static AdminServer start(AdminConfig config, RelayMetrics metrics, List<ReadinessCheck> readiness)
            throws IOException {
        return start(config, metrics, readiness, List.of(), Clock.systemUTC());
    }

    /**
     * The same, with more routes beside health and metrics.
     *
     * @param routes the relay's further resources, such as the queue API
     * @param clock  for the lifetime of browser sessions
     */
    public static AdminServer start(AdminConfig config, RelayMetrics metrics, List<ReadinessCheck> readiness,
            List<AdminRoute> routes, Clock clock) throws IOException {
        Optional<BearerToken> token = config.tokenFile().isPresent()
                ? Optional.of(BearerToken.load(config.tokenFile().get()))
                : Optional.empty();
        return start(config.socketAddress(), token, metrics, readiness, routes, IDLE_TIMEOUT, clock);
    }

    /**
     * Binds and serves until closed.
     *
     * @throws BindException when the address cannot be bound (in use, not local)
     */
    public static AdminServer start(InetSocketAddress bindAddress, Optional<BearerToken> token, RelayMetrics metrics,
            List<ReadinessCheck> readiness, Duration idleTimeout) throws IOException {
        return start(bindAddress, token, metrics, readiness, List.of(), idleTimeout);
    }

    /**
     * Binds and serves health, metrics and {@code routes} until closed.
     *
     * @throws BindException when the address cannot be bound (in use, not local)
     */
    public static AdminServer start(InetSocketAddress bindAddress, Optional<BearerToken> token, RelayMetrics metrics,
            List<ReadinessCheck> readiness, List<AdminRoute> routes, Duration idleTimeout) throws IOException {
        return start(bindAddress, token, metrics, readiness, routes, idleTimeout, Clock.systemUTC());
    }

    /**
     * Binds and serves health, metrics and {@code routes} until closed; with a token, also the
     * login form that gives a browser a session for the status page.
     *
     * @throws BindException when the address cannot be bound (in use, not local)
     */
    public static AdminServer start(InetSocketAddress bindAddress, Optional<BearerToken> token, RelayMetrics metrics,
            List<ReadinessCheck> readiness, List<AdminRoute> routes, Duration idleTimeout, Clock clock) throws IOException {
        AdminAccess access = new AdminAccess(token, new AdminSessions(clock));
        List<AdminRoute> all = new ArrayList<>(HealthRoutes.of(metrics, readiness));
        all.addAll(access.routes());
        all.addAll(routes);
        AdminRoutes table = new AdminRoutes(all);
        ExecutorService blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mta-admin-", 0).factory());
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("mta-admin", true));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(new HttpServerCodec(MAX_REQUEST_BYTES, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES))
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(new AdminHandler(access, table, blocking));
                    }
                });
        ChannelFuture bound = bootstrap.bind(bindAddress).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            blocking.shutdownNow();
            // A BindException, as the SMTP listeners' failures are, so "mta serve" reports both alike.
            BindException failure = new BindException("admin listener cannot bind " + text(bindAddress) + ": "
                    + bound.cause().getMessage());
            failure.initCause(bound.cause());
            throw failure;
        }
        AdminServer server = new AdminServer(group, bound.channel(), blocking);
        LOG.info("admin listener on http://{}/ ({})", text(server.boundAddress()),
                token.isPresent() ? "bearer token required" : "no authentication");
        return server;
    }

    /** Where the listener is bound: the real port when it was asked for port 0. */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** 127.0.0.1:8025 or [0:0:0:0:0:0:0:1]:8025, as an operator writes it (toString shows "/127.0.0.1:8025"). */
    static String text(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        // A request still running is cut short: the relay it would ask is closing.
        blocking.shutdownNow();
    }
}
