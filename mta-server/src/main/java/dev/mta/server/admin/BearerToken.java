package dev.mta.server.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The secret an admin request must present as {@code Authorization: Bearer <token>} (RFC 6750
 * 2.1). Only its SHA-256 digest is kept, and a presented token is compared digest to digest in
 * constant time, so neither the content nor the length of the secret leaks through timing.
 */
public final class BearerToken {
    // RFC 6750 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    private static final String B64TOKEN = "[A-Za-z0-9._~+/-]+=*";
    private static final String SCHEME = "bearer ";

    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    public static BearerToken of(String token) {
        if (!token.matches(B64TOKEN)) {
            throw new IllegalArgumentException("a bearer token is one word of letters, digits and -._~+/ (RFC 6750 2.1)");
        }
        return new BearerToken(sha256(token));
    }

    /** The file's content without surrounding white space (a trailing newline is usual). */
    public static BearerToken load(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new IOException(file + " is empty: it should hold the admin token");
        }
        try {
            return of(token);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Whether an Authorization header value carries this token; null (no header) never does. */
    public boolean acceptsAuthorization(String headerValue) {
        if (headerValue == null || headerValue.length() < SCHEME.length()
                || !headerValue.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        // RFC 9110 11.1: the scheme is case-insensitive.
        return accepts(headerValue.substring(SCHEME.length()));
    }

    /** Whether {@code presented} is the token itself (as a login form sends it). */
    public boolean accepts(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented.strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
