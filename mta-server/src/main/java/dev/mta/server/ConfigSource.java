package dev.mta.server;

import dev.mta.server.config.ConfigLoader;

/**
 * Where the relay's configuration comes from, read at start and again at each reload: for
 * {@code mta serve}, the file and the -o overrides it was started with.
 */
@FunctionalInterface
public interface ConfigSource {
    /** @throws dev.mta.server.config.ConfigException naming the file, line and key at fault */
    ConfigLoader.Loaded load();
}
