package dev.mta.server.cli;

import dev.mta.server.Relay;
import dev.mta.server.config.ConfigLoader;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the relay until SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the relay (foreground).")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        ConfigLoader.Loaded loaded = config.load();
        Relay relay;
        try {
            relay = Relay.start(loaded.config(), Clock.systemUTC());
        } catch (java.net.BindException e) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "cannot listen: " + e.getMessage()
                    + " (another relay running? a port below 1024 without the capability?)");
        } catch (dev.mta.queue.StoreException e) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "queue store: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            stopped.countDown();
        }, "mta-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }
}
