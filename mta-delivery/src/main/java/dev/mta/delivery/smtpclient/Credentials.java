package dev.mta.delivery.smtpclient;

import java.util.Objects;

/**
 * What the client authenticates with to a relay host (RFC 4954, PLAIN or LOGIN).
 *
 * @param allowCleartext whether the password may be sent on a connection without TLS; false
 *                       unless the operator said so for this relay host
 */
public record Credentials(String user, String password, boolean allowCleartext) {

    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** Credentials that are only ever sent under TLS. */
    public Credentials(String user, String password) {
        this(user, password, false);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "Credentials[user=" + user + ", allowCleartext=" + allowCleartext + "]";
    }
}
