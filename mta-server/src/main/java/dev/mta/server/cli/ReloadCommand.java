package dev.mta.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code mta reload}: the running relay re-reads its configuration, certificate and users, as on
 * SIGHUP, and says here whether it took them. Goes through the admin listener; without one, the
 * signal is the way.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Make the running relay re-read its configuration, TLS certificate and users (as SIGHUP).")
final class ReloadCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (AdminApiClient client = AdminApiClient.connect(config.load().config().admin()).orElseThrow(() ->
                new CommandFailure(ExitCodes.UNAVAILABLE, "no relay answers on the admin listener (admin.*): is it running?"
                        + " Without the admin listener, send SIGHUP instead: systemctl reload mta, or kill -HUP <pid>"))) {
            JsonNode answer = client.post("/api/reload");
            List<String> restart = new ArrayList<>();
            answer.path("restartNeeded").forEach(key -> restart.add(key.asText()));
            out.println("reloaded");
            if (!restart.isEmpty()) {
                out.println("these settings changed but take effect at the next restart: " + String.join(", ", restart));
            }
            return ExitCodes.OK;
        }
    }
}
