package dev.mta.testsupport.https;

import dev.mta.testsupport.tls.CertifiedKey;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * An HTTPS server on a loopback address for tests (Netty). It presents the certificate set for
 * the SNI name the client sends ({@link #certificate}), or the default one, and answers each
 * request with the response set for its Host header and path ({@link #respond}), or 404.
 * HTTP/1.1, one request per connection (the server closes after answering).
 *
 * <pre>{@code
 * CertifiedKey ca = TestCertificates.ec().ca("Test CA");
 * try (TestHttpsServer https = TestHttpsServer.start(certificates.leaf(ca, "mta-sts.example.org"))) {
 *     https.respond("mta-sts.example.org", "/.well-known/mta-sts.txt", HttpsResponse.policy(body));
 *     dns.zone("example.org").a("mta-sts.example.org", https.address().getAddress().getHostAddress());
 *     ... fetch from port https.port() ...
 * }
 * }</pre>
 */
public final class TestHttpsServer implements AutoCloseable {
    private static final AttributeKey<String> SERVER_NAME = AttributeKey.valueOf("sni");
    private static final int MAX_REQUEST = 16 * 1024;

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final EventLoopGroup group;
    private final Channel channel;
    private final SslContext defaultContext;
    private final Map<String, SslContext> contexts = new ConcurrentHashMap<>();
    private final Map<String, HttpsResponse> responses = new ConcurrentHashMap<>();
    private final List<ReceivedRequest> requests = new CopyOnWriteArrayList<>();

    private TestHttpsServer(InetAddress bindAddress, CertifiedKey defaultKey) throws InterruptedException {
        this.defaultContext = context(defaultKey);
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("test-https", true));
        try {
            this.channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new SniHandler(name -> contextFor(name)));
                            ch.pipeline().addLast(new HttpServerCodec());
                            ch.pipeline().addLast(new HttpObjectAggregator(MAX_REQUEST));
                            ch.pipeline().addLast(new RequestHandler());
                        }
                    })
                    .bind(new InetSocketAddress(bindAddress, 0)).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** Starts on 127.0.0.1 and an ephemeral port, presenting {@code defaultKey} without SNI match. */
    public static TestHttpsServer start(CertifiedKey defaultKey) {
        return start(InetAddress.getLoopbackAddress(), defaultKey);
    }

    /** Starts on {@code bindAddress} (e.g. 127.0.0.2) and an ephemeral port. */
    public static TestHttpsServer start(InetAddress bindAddress, CertifiedKey defaultKey) {
        try {
            return new TestHttpsServer(bindAddress, defaultKey);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the HTTPS server", e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** The textual IP address the server listens on, for an A record. */
    public String ipAddress() {
        return address().getAddress().getHostAddress();
    }

    /**
     * Presents {@code key} to clients that ask for {@code serverName} by SNI. To test a wrong
     * certificate for one host, give it a key whose names do not cover it.
     */
    public TestHttpsServer certificate(String serverName, CertifiedKey key) {
        contexts.put(serverName.toLowerCase(Locale.ROOT), context(key));
        return this;
    }

    /** Answers requests for {@code path} with Host {@code host} with {@code response}. */
    public TestHttpsServer respond(String host, String path, HttpsResponse response) {
        responses.put(key(host, path), Objects.requireNonNull(response, "response"));
        return this;
    }

    /** Every request received so far, in order. */
    public List<ReceivedRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        // A test may stop the server to simulate an outage, and its cleanup closes it again.
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public String toString() {
        return "TestHttpsServer[" + address() + "]";
    }

    private SslContext contextFor(String serverName) {
        if (serverName == null) {
            return defaultContext;
        }
        return contexts.getOrDefault(serverName.toLowerCase(Locale.ROOT), defaultContext);
    }

    private static SslContext context(CertifiedKey key) {
        try {
            return SslContextBuilder.forServer(key.privateKey(), key.chain().toArray(X509Certificate[]::new)).build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot build a server TLS context", e);
        }
    }

    private static String key(String host, String path) {
        return host.toLowerCase(Locale.ROOT) + " " + path;
    }

    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SniCompletionEvent sni && sni.hostname() != null) {
                ctx.channel().attr(SERVER_NAME).set(sni.hostname());
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String hostHeader = Optional.ofNullable(request.headers().get(HttpHeaderNames.HOST)).orElse("");
            String host = hostWithoutPort(hostHeader).toLowerCase(Locale.ROOT);
            requests.add(new ReceivedRequest(Optional.ofNullable(ctx.channel().attr(SERVER_NAME).get()),
                    host, request.method().name(), request.uri(),
                    Optional.ofNullable(request.headers().get(HttpHeaderNames.CONTENT_TYPE)),
                    io.netty.buffer.ByteBufUtil.getBytes(request.content())));
            HttpsResponse response = responses.getOrDefault(key(host, request.uri()), HttpsResponse.status(404));
            if (response.delay().isPositive()) {
                ctx.executor().schedule(() -> send(ctx, response), response.delay().toNanos(), TimeUnit.NANOSECONDS);
            } else {
                send(ctx, response);
            }
        }

        private void send(ChannelHandlerContext ctx, HttpsResponse response) {
            if (!ctx.channel().isActive()) {
                return;
            }
            FullHttpResponse reply = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
            response.headers().forEach(reply.headers()::set);
            reply.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
            reply.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that refuses the certificate or hangs up early is what tests do
        }

        private static String hostWithoutPort(String host) {
            if (host.startsWith("[")) {
                int close = host.indexOf(']');
                return close > 0 ? host.substring(1, close) : host;
            }
            int colon = host.indexOf(':');
            return colon >= 0 ? host.substring(0, colon) : host;
        }
    }
}
