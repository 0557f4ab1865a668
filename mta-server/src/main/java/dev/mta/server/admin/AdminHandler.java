package dev.mta.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the admin requests of one connection: authentication, then the route. Resources that
 * may block run on the given executor (virtual threads); answers go out in the order the
 * requests came, as HTTP/1.1 requires of a connection (RFC 9112 9.3.2).
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminAccess access;
    private final AdminRoutes routes;
    private final Executor blocking;
    // The answer to the previous request on this connection, sent or not: the next waits for it.
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    AdminHandler(AdminAccess access, AdminRoutes routes, Executor blocking) {
        this.access = access;
        this.routes = routes;
        this.blocking = blocking;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            // Too long a request line or header section, or not HTTP: the stream cannot be trusted.
            reply(ctx, CompletableFuture.completedFuture(AdminResponse.text(400, "bad request\n")), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        AdminRoutes.Match match = routes.find(request.method().name(), uri.path());
        Optional<AdminResponse> refused = access.refusal(request, match, remote(ctx));
        if (refused.isPresent()) {
            reply(ctx, CompletableFuture.completedFuture(refused.get()), keepAlive);
            return;
        }
        reply(ctx, switch (match) {
            case AdminRoutes.Match.NotFound ignored -> CompletableFuture.completedFuture(AdminResponse.text(404, "not found\n"));
            // RFC 9110 15.5.6: a 405 lists the methods the resource has.
            case AdminRoutes.Match.WrongMethod wrong -> CompletableFuture.completedFuture(
                    AdminResponse.text(405, "only " + wrong.allow() + "\n").withHeader("Allow", wrong.allow()));
            case AdminRoutes.Match.Found found -> answer(found.route(), adminRequest(ctx, request, uri));
        }, keepAlive);
    }

    /** Everything a resource needs, copied out of Netty's buffers, which are released when this read returns. */
    private AdminRequest adminRequest(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        return new AdminRequest(request.method().name(), uri.path(), uri.parameters(),
                request.content().toString(StandardCharsets.UTF_8), remote(ctx),
                Optional.ofNullable(request.headers().get(AdminRequest.OPERATOR_HEADER)));
    }

    private CompletableFuture<AdminResponse> answer(AdminRoute route, AdminRequest request) {
        if (route.eventLoop()) {
            return CompletableFuture.completedFuture(run(route, request));
        }
        return CompletableFuture.supplyAsync(() -> run(route, request), blocking);
    }

    private static AdminResponse run(AdminRoute route, AdminRequest request) {
        try {
            return route.resource().answer(request);
        } catch (AdminRequestException e) {
            return error(e.status(), e.getMessage());
        } catch (Exception | Error e) {
            LOG.warn("admin {} {} failed", request.method(), request.path(), e);
            return error(500, "internal error: " + e);
        }
    }

    /** {"error": "..."}: what a refused API request tells its client. */
    static AdminResponse error(int status, String message) {
        return AdminResponse.json(status, JSON.createObjectNode().put("error", message).toString());
    }

    private void reply(ChannelHandlerContext ctx, CompletableFuture<AdminResponse> answer, boolean keepAlive) {
        // Each answer is written by the event loop, after the one before it has been written: a
        // write from another thread would be queued behind the loop's own, and could overtake.
        previous = previous.thenCombine(answer, (done, response) -> response)
                .thenAcceptAsync(response -> send(ctx, response, keepAlive), ctx.executor())
                .exceptionally(failure -> {
                    LOG.debug("admin answer on {} failed: {}", ctx.channel().remoteAddress(), failure.toString());
                    ctx.close();
                    return null;
                });
    }

    private static void send(ChannelHandlerContext ctx, AdminResponse answer, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.copiedBuffer(answer.body(), StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                // Everything here is of this moment; no cache may answer for the relay.
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static InetSocketAddress remote(ChannelHandlerContext ctx) {
        return (InetSocketAddress) ctx.channel().remoteAddress();
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
