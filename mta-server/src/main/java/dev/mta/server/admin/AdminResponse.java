package dev.mta.server.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a resource answers: the status, the body and its type, and any further header fields
 * (Allow, Set-Cookie, Location). The admin listener adds Content-Length and Cache-Control.
 */
public record AdminResponse(int status, String contentType, String body, Map<String, String> headers) {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String HTML = "text/html; charset=utf-8";

    public AdminResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public static AdminResponse json(int status, String json) {
        return new AdminResponse(status, JSON, json, Map.of());
    }

    public static AdminResponse text(int status, String text) {
        return new AdminResponse(status, TEXT, text, Map.of());
    }

    public static AdminResponse html(int status, String html) {
        return new AdminResponse(status, HTML, html, Map.of());
    }

    /** The same answer with one more header field. */
    public AdminResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new AdminResponse(status, contentType, body, more);
    }
}
