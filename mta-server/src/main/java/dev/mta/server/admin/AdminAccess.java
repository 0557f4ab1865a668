package dev.mta.server.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may ask the admin listener anything: everybody when no token is configured (loopback
 * only, which the configuration enforces), else a request with {@code Authorization: Bearer}
 * and the token.
 */
final class AdminAccess {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final Optional<BearerToken> token;

    AdminAccess(Optional<BearerToken> token) {
        this.token = token;
    }

    /** The answer to a request that may not go on, or empty when it may. */
    Optional<AdminResponse> refusal(FullHttpRequest request, AdminRoutes.Match match, InetSocketAddress remote) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (token.get().acceptsAuthorization(authorization)) {
            return Optional.empty();
        }
        LOG.info("admin request refused: {} bearer token from {}", authorization != null ? "wrong" : "no", remote);
        // RFC 6750 3: a request without the token is told the scheme; a wrong one, invalid_token.
        return Optional.of(AdminResponse.text(401, "bearer token required\n")
                .withHeader("WWW-Authenticate", authorization != null ? "Bearer error=\"invalid_token\"" : "Bearer"));
    }
}
