package dev.mta.server.cli;

import dev.mta.server.Relay;
import dev.mta.server.config.ConfigLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** Validates the configuration and prints every effective key with where its value came from. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate the configuration and print the effective value of every key.")
final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ConfigLoader.Loaded loaded = config.load();
        try {
            Relay.checkFiles(loaded.config());
        } catch (Exception e) {
            throw new CommandFailure(ExitCodes.CONFIG, e.getMessage());
        }
        spec.commandLine().getOut().print(loaded.describe());
        spec.commandLine().getOut().println("# configuration OK: " + config.configFile());
        return ExitCodes.OK;
    }
}
