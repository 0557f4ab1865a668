package dev.mta.server.smtp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.apache.james.protocols.api.Response;

/**
 * One listener's meters, tagged {@code listener=<name>}:
 * <ul>
 * <li>{@code mta_smtp_connections_active}: sessions open now;</li>
 * <li>{@code mta_smtp_connections_total{result}}: {@code accepted}, or {@code refused} while the
 *     relay shuts down;</li>
 * <li>{@code mta_smtp_messages_accepted_total}: messages answered 250 at the end of DATA;</li>
 * <li>{@code mta_smtp_rejections_total{command, status}}: every 4xx and 5xx reply, by command and
 *     by its enhanced status code (RFC 3463), which is the reason in mail's own terms: 5.7.1 relay
 *     denied, 5.3.4 too big, 4.3.1 no storage, 5.5.x syntax...;</li>
 * <li>{@code mta_smtp_accept_seconds}: from the end of DATA to the 250, the durable commit.</li>
 * </ul>
 */
public final class ListenerMetrics {
    private final MeterRegistry registry;
    private final String listener;
    private final Counter accepted;
    private final Timer acceptLatency;

    ListenerMetrics(MeterRegistry registry, String listener) {
        this.registry = registry;
        this.listener = listener;
        this.accepted = Counter.builder("mta.smtp.messages.accepted")
                .description("Messages accepted (250 at the end of DATA)")
                .tag("listener", listener).register(registry);
        this.acceptLatency = Timer.builder("mta.smtp.accept")
                .description("From the end of DATA to the 250 reply: checks and the durable commit")
                .tag("listener", listener).publishPercentileHistogram().register(registry);
    }

    void bindActiveConnections(IntSupplier open) {
        Gauge.builder("mta.smtp.connections.active", open::getAsInt)
                .description("SMTP sessions open now").tag("listener", listener).register(registry);
    }

    void connection(boolean refused) {
        Counter.builder("mta.smtp.connections").description("SMTP connections")
                .tag("listener", listener).tag("result", refused ? "refused" : "accepted")
                .register(registry).increment();
    }

    void accepted(Duration latency) {
        accepted.increment();
        acceptLatency.record(latency);
    }

    /** Counts a refusal; other replies are not counted here. */
    void replied(String command, Response response) {
        if (response == null) {
            return;
        }
        String code = response.getRetCode();
        if (code == null || code.isEmpty() || (code.charAt(0) != '4' && code.charAt(0) != '5')) {
            return;
        }
        Counter.builder("mta.smtp.rejections").description("SMTP replies 4xx and 5xx by command and enhanced status code")
                .tag("listener", listener).tag("command", command).tag("status", status(code, response))
                .register(registry).increment();
    }

    /** The enhanced status code that starts the first line (RFC 3463), else the reply code. */
    static String status(String code, Response response) {
        if (!response.getLines().isEmpty()) {
            String first = response.getLines().get(0).toString();
            // Lines are "<code> <x.y.z> text"; James keeps the code in each line.
            String[] words = first.split(" ", 3);
            for (String word : words) {
                if (word.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
                    return word;
                }
            }
        }
        return code;
    }
}
