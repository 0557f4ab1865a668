package dev.mta.server.admin;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.mta.queue.QueueId;
import dev.mta.queue.RecipientState;
import dev.mta.queue.Selection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Selection} as query parameters, the same filters {@code mta queue} takes:
 * {@code id} (repeatable), {@code sender}, {@code recipient}, {@code domain}, {@code state}
 * (repeatable), {@code older-than} (30m, 2h, 3d) and {@code reply}.
 */
public final class SelectionParameters {
    static final List<String> NAMES = List.of("id", "sender", "recipient", "domain", "state", "older-than", "reply");

    private SelectionParameters() {
    }

    /**
     * The selection a request's query names.
     *
     * @throws AdminRequestException 400 for a malformed id, state or age, or a criterion given twice
     */
    public static Selection of(AdminRequest request) {
        try {
            List<String> ids = request.parameters("id");
            Selection selection = ids.isEmpty() ? Selection.all() : Selection.messages(ids.stream().map(SelectionParameters::id).toList());
            if (request.parameter("sender").isPresent()) {
                selection = selection.sender(request.parameter("sender").get());
            }
            if (request.parameter("recipient").isPresent()) {
                selection = selection.recipient(request.parameter("recipient").get());
            }
            if (request.parameter("domain").isPresent()) {
                selection = selection.recipientDomain(request.parameter("domain").get());
            }
            List<RecipientState> states = request.parameters("state").stream().map(SelectionParameters::state).toList();
            if (!states.isEmpty()) {
                selection = selection.states(states.getFirst(), states.subList(1, states.size()).toArray(RecipientState[]::new));
            }
            if (request.parameter("older-than").isPresent()) {
                selection = selection.olderThan(age(request.parameter("older-than").get()));
            }
            if (request.parameter("reply").isPresent()) {
                selection = selection.reason(request.parameter("reply").get());
            }
            return selection;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw AdminRequestException.badRequest(e.getMessage());
        }
    }

    /** The query string (without "?") that {@link #of} reads back as {@code selection}; empty for the whole queue. */
    public static String query(Selection selection) {
        List<String> parts = new ArrayList<>();
        selection.ids().stream().map(QueueId::value).sorted().forEach(id -> parts.add(pair("id", id)));
        selection.sender().ifPresent(s -> parts.add(pair("sender", s)));
        selection.recipient().ifPresent(r -> parts.add(pair("recipient", r)));
        selection.recipientDomain().ifPresent(d -> parts.add(pair("domain", d)));
        selection.states().stream().sorted().forEach(s -> parts.add(pair("state", s.name().toLowerCase(Locale.ROOT))));
        selection.minimumAge().ifPresent(age -> parts.add(pair("older-than", age.toMillis() + "ms")));
        selection.reason().ifPresent(r -> parts.add(pair("reply", r)));
        return String.join("&", parts);
    }

    /** {@code name=value}, the value percent-encoded for a query. */
    public static String pair(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A queue id as an operator types it, in any case. */
    public static QueueId id(String text) {
        try {
            return QueueId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a queue id: " + text);
        }
    }

    public static RecipientState state(String text) {
        try {
            return RecipientState.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a state: " + text + " (queued, deferred, held, delivered, bounced)");
        }
    }

    /** Durations as the configuration writes them (30m, 2h, 3d), read by the same library. */
    public static Duration age(String text) {
        try {
            return ConfigFactory.parseString("age = \"" + text.replace("\\", "").replace("\"", "") + "\"").getDuration("age");
        } catch (ConfigException e) {
            throw new IllegalArgumentException("not a duration: " + text + " (e.g. 30m, 2h, 3d)");
        }
    }
}
