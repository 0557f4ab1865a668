package dev.mta.server.smtp;

/** Checks AUTH credentials. The users file is the production implementation. */
@FunctionalInterface
public interface Authenticator {
    boolean authenticate(String user, char[] password);
}
