package dev.mta.server.cli;

import dev.mta.server.Relay;
import dev.mta.server.config.ConfigLoader;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the relay until SIGTERM or SIGINT, then stops it in order and exits 0. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the relay (foreground).")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        ConfigLoader.Loaded loaded = config.load();
        dev.mta.server.LogSetup.apply(loaded.config().logging());
        // Read again at each reload: the same file and overrides. The first read is the one above.
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        dev.mta.server.ConfigSource source = () -> first.getAndSet(false) ? loaded : config.load();
        AtomicReference<Relay> running = new AtomicReference<>();
        AtomicBoolean stopRequested = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            stopRequested.set(true);
            Relay relay = running.getAndSet(null);
            if (relay != null) {
                relay.close();
                stopped.countDown();
            }
        };
        // SIGTERM and SIGINT stop the relay in order (listeners, delivery, then the queue) before
        // the JVM begins its shutdown, during which H2's own hook would close the queue under
        // the workers. Installed before start-up, so a signal that comes while the relay starts
        // stops it cleanly as soon as it is up. The hook stays as a fallback for any other way
        // the JVM ends.
        for (String signal : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), received -> Thread.ofPlatform().name("mta-stop").start(stop));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "mta-shutdown"));
        // SIGHUP reloads, as for every Unix daemon (systemctl reload). The outcome is logged. One
        // that comes while the relay starts is kept and carried out once it is up.
        AtomicBoolean reloadPending = new AtomicBoolean();
        Runnable reload = () -> {
            // Whoever clears the flag reloads: this thread, or start-up once the relay is set.
            reloadPending.set(true);
            Relay relay = running.get();
            if (relay != null && reloadPending.getAndSet(false)) {
                try {
                    relay.reload();
                } catch (dev.mta.server.ReloadRefused e) {
                    // Relay.reload has logged the reason; the old configuration stays in force.
                }
            }
        };
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), received -> Thread.ofPlatform().name("mta-reload").start(reload));
        try {
            running.set(Relay.start(source, Clock.systemUTC()));
        } catch (java.net.BindException e) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "cannot listen: " + e.getMessage()
                    + " (another relay running? a port below 1024 without the capability?)");
        } catch (dev.mta.queue.StoreException e) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "queue store: " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Delivery's set-up: trust anchors, CA file, no DNS server at all.
            throw new CommandFailure(ExitCodes.CONFIG, "cannot start delivery: " + e.getMessage());
        }
        if (stopRequested.get()) {
            stop.run(); // the signal came during start-up
        } else if (reloadPending.get()) {
            reload.run();
        }
        stopped.await();
        return ExitCodes.OK;
    }
}
