package dev.mta.server.cli;

import dev.mta.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** -c and -o, taken by every command. */
final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $MTA_CONFIG, else conf/mta.conf).")
    Path file;

    @Option(names = "-o", paramLabel = "KEY=VALUE",
            description = "Override one configuration key for this run, like Postfix's -o. Repeatable.")
    List<String> overrides = new ArrayList<>();

    ConfigLoader.Loaded load() {
        return ConfigLoader.load(configFile(), overrides);
    }

    Path configFile() {
        if (file != null) {
            return file;
        }
        String fromEnvironment = System.getenv("MTA_CONFIG");
        return Path.of(fromEnvironment == null || fromEnvironment.isBlank() ? "conf/mta.conf" : fromEnvironment);
    }
}
