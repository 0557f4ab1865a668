package dev.mta.server.admin;

import java.util.Locale;
import java.util.Objects;

/**
 * One entry of the admin listener's route table: a method and a path, exact or a prefix such as
 * {@code /api/queue/messages/} (whose resource reads the rest of the path), and the resource
 * that answers.
 *
 * <p>A resource runs on a virtual thread of its own, since it may block (store calls); only
 * routes marked {@link #onEventLoop()} run on the listener's event loop, which is for answers
 * that never block (health checks, metrics): a busy store must not delay a health probe.
 *
 * @param method      GET, POST, ... in upper case
 * @param path        the exact path, or the prefix when {@code prefix}
 * @param prefix      whether every path that starts with {@code path} (and is longer) matches
 * @param eventLoop   whether the resource runs on the event loop
 * @param browserPage whether a browser's session cookie is enough where a token is required
 *                    (the status page: read-only)
 * @param resource    what answers
 */
public record AdminRoute(String method, String path, boolean prefix, boolean eventLoop, boolean browserPage,
        AdminResource resource) {

    public AdminRoute {
        Objects.requireNonNull(method, "method");
        method = method.toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with /: " + path);
        }
        if (prefix && !path.endsWith("/")) {
            throw new IllegalArgumentException("a prefix route ends with /, so it never matches half a segment: " + path);
        }
        Objects.requireNonNull(resource, "resource");
    }

    public static AdminRoute get(String path, AdminResource resource) {
        return new AdminRoute("GET", path, false, false, false, resource);
    }

    public static AdminRoute post(String path, AdminResource resource) {
        return new AdminRoute("POST", path, false, false, false, resource);
    }

    /** GET for every path under {@code prefix} (which ends with /). */
    public static AdminRoute getUnder(String prefix, AdminResource resource) {
        return new AdminRoute("GET", prefix, true, false, false, resource);
    }

    /** The same route, answered on the event loop: only for resources that never block. */
    public AdminRoute onEventLoop() {
        return new AdminRoute(method, path, prefix, true, browserPage, resource);
    }

    /** The same route, open to a browser that logged in with the token (GET only: it must not change anything). */
    public AdminRoute forBrowsers() {
        if (!method.equals("GET")) {
            throw new IllegalStateException("only GET routes may be opened to a browser session: " + method + " " + path);
        }
        return new AdminRoute(method, path, prefix, eventLoop, true, resource);
    }

    boolean matches(String requestPath) {
        return prefix ? requestPath.startsWith(path) && requestPath.length() > path.length() : requestPath.equals(path);
    }
}
