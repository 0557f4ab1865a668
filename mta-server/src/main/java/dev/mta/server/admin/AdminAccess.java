package dev.mta.server.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may ask the admin listener anything. Without a token (loopback only, which the
 * configuration enforces): everybody. With one: a request with {@code Authorization: Bearer}
 * and the token; and a browser that logged in at {@code /login} with the token may read the
 * status page with its session cookie ({@link AdminSessions}).
 */
final class AdminAccess {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final Logger ACTIONS = LoggerFactory.getLogger("dev.mta.admin");
    static final String LOGIN = "/login";

    private final Optional<BearerToken> token;
    private final AdminSessions sessions;
    private final List<AdminRoute> loginRoutes;

    AdminAccess(Optional<BearerToken> token, AdminSessions sessions) {
        this.token = token;
        this.sessions = sessions;
        this.loginRoutes = token.isEmpty() ? List.of() : List.of(
                AdminRoute.get(LOGIN, request -> loginForm(200, "")).onEventLoop(),
                AdminRoute.post(LOGIN, this::login));
    }

    /** The login form and its answer, when a token is required. */
    List<AdminRoute> routes() {
        return loginRoutes;
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
        if (match instanceof AdminRoutes.Match.Found found) {
            if (loginRoutes.contains(found.route())) {
                return Optional.empty();
            }
            if (found.route().browserPage() && authorization == null) {
                if (hasSession(request)) {
                    return Optional.empty();
                }
                // A browser without a session is sent to the form rather than shown a bare 401.
                return Optional.of(AdminResponse.text(303, "log in at " + LOGIN + "\n").withHeader("Location", LOGIN));
            }
        }
        LOG.info("admin request refused: {} bearer token from {}", authorization != null ? "wrong" : "no", remote);
        // RFC 6750 3: a request without the token is told the scheme; a wrong one, invalid_token.
        return Optional.of(AdminResponse.text(401, "bearer token required\n")
                .withHeader("WWW-Authenticate", authorization != null ? "Bearer error=\"invalid_token\"" : "Bearer"));
    }

    private boolean hasSession(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return false;
        }
        for (Cookie cookie : ServerCookieDecoder.STRICT.decode(header)) {
            if (cookie.name().equals(AdminSessions.COOKIE) && sessions.valid(cookie.value())) {
                return true;
            }
        }
        return false;
    }

    /** The form's POST: the token once, a session cookie back, and on to the page. */
    private AdminResponse login(AdminRequest request) {
        List<String> given = new QueryStringDecoder(request.body(), false).parameters().getOrDefault("token", List.of());
        if (given.size() != 1 || !token.orElseThrow().accepts(given.getFirst())) {
            ACTIONS.info("admin login refused: wrong token from {}", request.remote());
            return loginForm(401, "That is not the token.");
        }
        ACTIONS.info("admin login from {}: a session for the status page", request.remote());
        // RFC 9110 15.4.4: 303 turns the POST into a GET of the page.
        return AdminResponse.text(303, "logged in\n").withHeader("Location", "/")
                .withHeader("Set-Cookie", AdminSessions.cookie(sessions.open()));
    }

    private static AdminResponse loginForm(int status, String problem) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>relay status – log in</title>"
                + "<style>body{font:15px system-ui,sans-serif;max-width:28em;margin:4em auto}input{font:inherit;padding:.3em}"
                + ".problem{color:#c62828}</style></head><body><h1>Relay status</h1>"
                + (problem.isEmpty() ? "" : "<p class=\"problem\" id=\"problem\">" + StatusPage.escape(problem) + "</p>")
                + "<form method=\"post\" action=\"" + LOGIN + "\"><label>Admin token (the content of admin.token-file)<br>"
                + "<input type=\"password\" name=\"token\" autocomplete=\"current-password\" required autofocus></label> "
                + "<button type=\"submit\">Open</button></form></body></html>\n";
        return AdminResponse.html(status, html)
                .withHeader("Content-Security-Policy", StatusPage.CONTENT_SECURITY_POLICY)
                .withHeader("Referrer-Policy", "no-referrer");
    }
}
