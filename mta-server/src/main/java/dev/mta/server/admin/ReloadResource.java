package dev.mta.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mta.server.ReloadOutcome;
import dev.mta.server.ReloadRefused;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/reload}: what SIGHUP does, with the answer for the operator who asked:
 * 200 {@code {"status":"reloaded","restartNeeded":[...]}}, or 422 {@code {"error":"file:line: key: ..."}}
 * when the new configuration is refused (the running one stays).
 */
public final class ReloadResource {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mta.admin");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The relay's reload. */
    @FunctionalInterface
    public interface Reload {
        ReloadOutcome reload() throws ReloadRefused;
    }

    private ReloadResource() {
    }

    public static List<AdminRoute> routes(Reload reload) {
        return List.of(AdminRoute.post("/api/reload", request -> {
            LOG.info("reload requested by operator={} client={}", request.operator().orElse("unknown"), request.remote());
            try {
                ReloadOutcome outcome = reload.reload();
                ObjectNode answer = JSON.createObjectNode().put("status", "reloaded");
                var restart = answer.putArray("restartNeeded");
                outcome.restartNeeded().forEach(restart::add);
                return AdminResponse.json(200, JSON.writeValueAsString(answer));
            } catch (ReloadRefused e) {
                return AdminResponse.json(422, JSON.writeValueAsString(JSON.createObjectNode().put("error", e.getMessage())));
            }
        }));
    }
}
