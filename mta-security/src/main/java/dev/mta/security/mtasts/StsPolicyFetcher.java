package dev.mta.security.mtasts;

import dev.mta.security.dns.DnsResolver;
import dev.mta.security.dns.DnsResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Fetches a policy (RFC 8461 3.3): HTTPS GET {@code https://mta-sts.<domain>/.well-known/mta-sts.txt},
 * the host's addresses from the relay's own {@link DnsResolver} (A, then AAAA, each tried in
 * turn until one connects), the certificate checked by PKIX against the system's CAs and the
 * configured extra ones with the host name (RFC 6125, as HTTPS does) and SNI sent. Only a 200
 * with media type text/plain counts; redirects are not followed, bodies over the limit and
 * answers later than the timeout are failures. A failure is reported, never turned into a policy.
 *
 * <p>Thread-safe; one Netty event loop serves every fetch. Close it when the relay stops.
 */
public final class StsPolicyFetcher implements StsPolicySource, AutoCloseable {
    private final StsFetchSettings settings;
    private final DnsResolver dns;
    private final Clock clock;
    private final SslContext sslContext;
    private final EventLoopGroup group;

    /**
     * @throws IllegalArgumentException when an extra CA file cannot be read
     */
    public StsPolicyFetcher(StsFetchSettings settings, DnsResolver dns, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dns = Objects.requireNonNull(dns, "dns");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            this.sslContext = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(PolicyTrust.with(settings.extraCaFiles()))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS context for MTA-STS", e);
        }
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("mta-sts-fetch", true));
    }

    @Override
    public FetchResult fetch(String domain, String id) {
        String host = StsDomains.policyHost(StsDomains.normalise(domain));
        long deadline = System.nanoTime() + settings.timeout().toNanos(); // bounds real waiting
        List<InetAddress> addresses = new ArrayList<>();
        String dnsProblem = addresses(host, addresses);
        if (addresses.isEmpty()) {
            return fetchError("no address for " + host + ": " + dnsProblem);
        }
        FetchResult last = null;
        for (InetAddress address : addresses) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (!left.isPositive()) {
                break;
            }
            Attempt attempt = attempt(host, address, left, id);
            if (attempt.connected()) {
                return attempt.result();
            }
            last = attempt.result();
        }
        return last != null ? last : fetchError("no answer from " + host + " within " + settings.timeout().toMillis() + " ms");
    }

    /** Fills {@code addresses} with A then AAAA answers; returns what went wrong when none came. */
    private String addresses(String host, List<InetAddress> addresses) {
        List<String> problems = new ArrayList<>();
        for (DnsResult<InetAddress> result : List.of(dns.ipv4(host), dns.ipv6(host))) {
            switch (result) {
                case DnsResult.Found<InetAddress> found -> addresses.addAll(found.records());
                case DnsResult.NoData<InetAddress> noData -> problems.add("no records");
                case DnsResult.NxDomain<InetAddress> nx -> problems.add("no such name");
                case DnsResult.Failed<InetAddress> failed -> problems.add(failed.reason());
            }
        }
        return String.join("; ", problems.stream().distinct().toList());
    }

    private record Attempt(boolean connected, FetchResult result) {
    }

    private Attempt attempt(String host, InetAddress address, Duration timeout, String id) {
        CompletableFuture<FetchResult> result = new CompletableFuture<>();
        ChannelFuture connect = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = new SslHandler(engine(ch, host));
                        tls.setHandshakeTimeoutMillis(0); // the fetch's own deadline governs
                        tls.handshakeFuture().addListener(done -> {
                            if (!done.isSuccess()) {
                                result.complete(handshakeFailure(host, done.cause()));
                            }
                        });
                        ch.pipeline().addLast(tls);
                        ch.pipeline().addLast(new HttpClientCodec());
                        ch.pipeline().addLast(new HttpObjectAggregator(settings.maxPolicyBytes()) {
                            @Override
                            protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
                                // RFC 8461 3.3: a size limit protects the sender; the answer is a failure.
                                result.complete(fetchError("the policy from " + host + " is larger than "
                                        + settings.maxPolicyBytes() + " bytes"));
                                ctx.close();
                            }
                        });
                        ch.pipeline().addLast(new ResponseHandler(host, id, result));
                    }
                })
                .connect(new InetSocketAddress(address, settings.port()));
        Channel channel = connect.channel();
        try {
            connect.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!connect.isSuccess()) {
                String why = connect.cause() == null ? "timed out" : describe(connect.cause());
                channel.close();
                return new Attempt(false, fetchError("cannot connect to " + host + " at "
                        + address.getHostAddress() + ":" + settings.port() + ": " + why));
            }
            channel.writeAndFlush(request(host));
            channel.closeFuture().addListener(closed -> result.complete(fetchError(host + " closed the connection without a complete answer")));
            return new Attempt(true, result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return new Attempt(true, fetchError("no answer from " + host + " within " + settings.timeout().toMillis() + " ms"));
        } catch (ExecutionException e) {
            return new Attempt(true, fetchError("fetch from " + host + " failed: " + describe(e.getCause())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(true, fetchError("interrupted while fetching from " + host));
        } finally {
            channel.close();
        }
    }

    private SSLEngine engine(SocketChannel channel, String host) {
        SSLEngine engine = sslContext.newEngine(channel.alloc(), host, settings.port());
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(host)));
        // RFC 8461 3.3: the certificate must be valid for the policy host, as HTTPS checks it.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
    }

    private FullHttpRequest request(String host) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, StsDomains.POLICY_PATH);
        request.headers().set(HttpHeaderNames.HOST, settings.port() == StsFetchSettings.HTTPS_PORT ? host : host + ":" + settings.port());
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        request.headers().set(HttpHeaderNames.ACCEPT, "text/plain");
        return request;
    }

    /** RFC 8460 4.3.2: a certificate that fails PKIX or the name check is sts-webpki-invalid. */
    private static FetchResult handshakeFailure(String host, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathValidatorException
                    || t instanceof CertPathBuilderException) {
                return new FetchResult.Failed(FetchResult.FailureKind.WEBPKI_INVALID,
                        "the certificate of " + host + " is not valid: " + describe(cause));
            }
        }
        return fetchError("TLS handshake with " + host + " failed: " + describe(cause));
    }

    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final String host;
        private final String id;
        private final CompletableFuture<FetchResult> result;

        ResponseHandler(String host, String id, CompletableFuture<FetchResult> result) {
            this.host = host;
            this.id = id;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            result.complete(judge(response));
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
                result.complete(handshakeFailure(host, cause));
            } else {
                result.complete(fetchError("fetch from " + host + " failed: " + describe(cause)));
            }
            ctx.close();
        }

        private FetchResult judge(FullHttpResponse response) {
            int status = response.status().code();
            if (status >= 300 && status < 400) {
                // RFC 8461 3.3: HTTP 3xx redirects MUST NOT be followed.
                return fetchError(host + " answered " + status + " (redirect to "
                        + response.headers().get(HttpHeaderNames.LOCATION) + "), which is not followed");
            }
            if (status != 200) {
                return fetchError(host + " answered " + response.status());
            }
            // RFC 8461 3.3: the media type must be text/plain; parameters such as charset are allowed.
            CharSequence mime = HttpUtil.getMimeType(response);
            if (mime == null || !"text/plain".equalsIgnoreCase(mime.toString().strip())) {
                return fetchError(host + " served the policy as " + (mime == null ? "no media type" : mime) + ", not text/plain");
            }
            Charset charset = HttpUtil.getCharset(response, StandardCharsets.UTF_8);
            String body;
            try {
                byte[] bytes = new byte[response.content().readableBytes()];
                response.content().getBytes(response.content().readerIndex(), bytes);
                body = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return new FetchResult.Failed(FetchResult.FailureKind.POLICY_INVALID, "the policy from " + host + " is not valid " + charset);
            }
            return switch (StsPolicyParser.parse(body)) {
                case ParseResult.Valid valid -> new FetchResult.Fetched(valid.toPolicy(id, clock.instant()));
                case ParseResult.Invalid invalid -> new FetchResult.Failed(FetchResult.FailureKind.POLICY_INVALID,
                        "the policy from " + host + " is invalid: " + invalid.reason());
            };
        }
    }

    private static FetchResult fetchError(String reason) {
        return new FetchResult.Failed(FetchResult.FailureKind.FETCH_ERROR, reason);
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root instanceof GeneralSecurityException || root == cause ? message : message + " (" + cause.getClass().getSimpleName() + ")";
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
