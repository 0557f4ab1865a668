package dev.mta.server.config;

/** One SMTP listener: where it binds and what it offers. Port 0 picks a free port (tests). */
public record ListenerConfig(String name, String address, int port, ListenerMode mode) {
}
