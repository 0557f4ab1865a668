package dev.mta.delivery.route;

import java.util.Objects;

/** The user name and password the relay gives a relay host with AUTH. Never printed. */
public record RelayCredentials(String user, String password) {

    public RelayCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("the relay host user name is empty");
        }
    }

    @Override
    public String toString() {
        return "RelayCredentials[user=" + user + ", password=(hidden)]";
    }
}
