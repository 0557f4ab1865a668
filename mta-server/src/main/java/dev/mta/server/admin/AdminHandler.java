package dev.mta.server.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers one admin request at a time on a connection: authentication, then the route. */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final Set<String> PATHS = Set.of("/health/live", "/health/ready", "/health", "/metrics");

    private final Optional<BearerToken> token;
    private final RelayMetrics metrics;
    private final List<ReadinessCheck> readiness;

    AdminHandler(Optional<BearerToken> token, RelayMetrics metrics, List<ReadinessCheck> readiness) {
        this.token = token;
        this.metrics = metrics;
        this.readiness = readiness;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            // Too long a request line or header section, or not HTTP: the stream cannot be trusted.
            send(ctx, response(HttpResponseStatus.BAD_REQUEST, TEXT, "bad request\n"), false);
            return;
        }
        FullHttpResponse response = answer(request);
        if (response.status().equals(HttpResponseStatus.UNAUTHORIZED)) {
            LOG.info("admin request refused: {} bearer token from {}",
                    request.headers().contains(HttpHeaderNames.AUTHORIZATION) ? "wrong" : "no", ctx.channel().remoteAddress());
        }
        send(ctx, response, HttpUtil.isKeepAlive(request));
    }

    private FullHttpResponse answer(FullHttpRequest request) {
        if (token.isPresent() && !token.get().acceptsAuthorization(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            // RFC 6750 3: a request without the token is told the scheme; a wrong one, invalid_token.
            FullHttpResponse refused = response(HttpResponseStatus.UNAUTHORIZED, TEXT, "bearer token required\n");
            refused.headers().set(HttpHeaderNames.WWW_AUTHENTICATE,
                    request.headers().contains(HttpHeaderNames.AUTHORIZATION)
                            ? "Bearer error=\"invalid_token\"" : "Bearer");
            return refused;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (!PATHS.contains(path)) {
            return response(HttpResponseStatus.NOT_FOUND, TEXT, "not found\n");
        }
        if (!request.method().equals(HttpMethod.GET)) {
            // RFC 9110 15.5.6: a 405 lists the methods the resource has.
            FullHttpResponse refused = response(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "only GET\n");
            refused.headers().set(HttpHeaderNames.ALLOW, "GET");
            return refused;
        }
        return switch (path) {
            case "/health/live" -> response(HttpResponseStatus.OK, JSON, "{\"status\":\"up\"}");
            case "/metrics" -> response(HttpResponseStatus.OK, RelayMetrics.CONTENT_TYPE, metrics.scrape());
            default -> ready();
        };
    }

    /** {"status":"down","checks":{"queue-store":"up","smtp-listeners":"down"}} and 503 when any check fails. */
    private FullHttpResponse ready() {
        StringBuilder checks = new StringBuilder();
        boolean allPassing = true;
        for (ReadinessCheck check : readiness) {
            boolean passing = check.passing().getAsBoolean();
            allPassing &= passing;
            checks.append(checks.isEmpty() ? "" : ",")
                    .append('"').append(check.name()).append("\":\"").append(passing ? "up" : "down").append('"');
        }
        String body = "{\"status\":\"" + (allPassing ? "up" : "down") + "\",\"checks\":{" + checks + "}}";
        return response(allPassing ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, JSON, body);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                // Health and metrics are of this moment; no cache may answer for the relay.
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
