package dev.mta.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mta.queue.MessageStore;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.Selection;
import dev.mta.queue.StoreException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue over the admin API, what {@code mta queue} does through it when the relay runs:
 * <ul>
 * <li>{@code GET /api/queue/messages} with the filters of {@link SelectionParameters};</li>
 * <li>{@code GET /api/queue/messages/ID}, with {@code ?body=true} the whole message;</li>
 * <li>{@code GET /api/queue/summary?top=N};</li>
 * <li>{@code POST /api/queue/flush} (optionally {@code ?id=ID});</li>
 * <li>{@code POST /api/queue/hold|release|requeue|bounce|delete} with the filters, and for
 *     bounce {@code reason}.</li>
 * </ul>
 * It works on the relay's own store, which wakes delivery after a flush, release or requeue: the
 * mail goes at once instead of at the next queue scan. Every change is logged on
 * {@code dev.mta.admin} with the operator the client names ({@value AdminRequest#OPERATOR_HEADER})
 * and the client's address.
 */
public final class QueueResource {
    private static final Logger ACTIONS = LoggerFactory.getLogger("dev.mta.admin");
    static final String PREFIX = "/api/queue/";
    // A user name as the OS spells it; anything else could forge log lines.
    private static final Pattern OPERATOR = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");

    private final MessageStore store;
    private final Clock clock;

    private QueueResource(MessageStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The routes, acting on {@code store} (the relay's waking store) with {@code clock}'s time. */
    public static List<AdminRoute> routes(MessageStore store, Clock clock) {
        QueueResource queue = new QueueResource(store, clock);
        List<AdminRoute> routes = new ArrayList<>(List.of(
                AdminRoute.get(PREFIX + "messages", queue::list),
                AdminRoute.getUnder(PREFIX + "messages/", queue::show),
                AdminRoute.get(PREFIX + "summary", queue::summary),
                AdminRoute.post(PREFIX + "flush", queue::flush)));
        for (QueueAction action : QueueAction.values()) {
            routes.add(AdminRoute.post(PREFIX + action.verb(), request -> queue.act(action, request)));
        }
        return routes;
    }

    private AdminResponse list(AdminRequest request) throws StoreException {
        allowOnly(request, SelectionParameters.NAMES);
        Selection selection = SelectionParameters.of(request);
        List<MessageSummary> messages = selection.isAll() ? store.list() : store.list(selection, clock.instant());
        return ok(QueueJson.messages(messages));
    }

    private AdminResponse show(AdminRequest request) throws StoreException, IOException {
        allowOnly(request, List.of("body"));
        QueueId id = id(request.path().substring((PREFIX + "messages/").length()));
        boolean whole = flag(request, "body");
        return ok(QueueJson.shown(ShownMessage.read(store, id, whole).orElseThrow(() -> missing(id))));
    }

    private AdminResponse summary(AdminRequest request) throws StoreException {
        allowOnly(request, List.of("top"));
        int top = request.parameter("top").map(QueueResource::top).orElse(5);
        return ok(QueueJson.summary(store.summary(clock.instant(), top)));
    }

    /** Postfix's {@code postqueue -f} / {@code -i ID}: deferred recipients become due now. */
    private AdminResponse flush(AdminRequest request) throws StoreException {
        allowOnly(request, List.of("id"));
        String operator = operator(request);
        Optional<QueueId> id = request.parameter("id").map(QueueResource::id);
        if (id.isPresent() && store.find(id.get()).isEmpty()) {
            throw missing(id.get());
        }
        int due = store.flush(id, clock.instant());
        ACTIONS.info("queue flush by operator={} from={} {}: {} recipient(s) due now", operator, request.remote(),
                id.map(i -> "id=" + i).orElse("the whole queue"), due);
        return ok(QueueJson.object().put("due", due));
    }

    private AdminResponse act(QueueAction action, AdminRequest request) throws StoreException {
        List<String> allowed = new ArrayList<>(SelectionParameters.NAMES);
        if (action.needsReason()) {
            allowed.add("reason");
        }
        allowOnly(request, allowed);
        String operator = operator(request);
        Selection selection = SelectionParameters.of(request);
        if (selection.isAll() && !action.mayTakeEverything()) {
            throw AdminRequestException.badRequest(action.verb() + " needs queue ids or a filter (domain, sender, ...)");
        }
        Optional<String> reason = request.parameter("reason");
        if (action.needsReason() && reason.map(String::isBlank).orElse(true)) {
            throw AdminRequestException.badRequest(action.verb() + " needs a reason, for the DSN to the sender");
        }
        QueueChange change = action.apply(store, selection, reason, clock.instant());
        ACTIONS.info("queue {} by operator={} from={} selection=[{}]: {} recipient(s) in {} message(s){}", action.verb(), operator,
                request.remote(), selection, change.recipients(), change.messages(),
                change.leased().isEmpty() ? "" : ", " + change.leased().size() + " being delivered, left alone");
        return ok(QueueJson.change(change));
    }

    /** The operator the client names; a client that names none is logged as such. */
    private static String operator(AdminRequest request) {
        Optional<String> named = request.operator();
        if (named.isPresent() && !OPERATOR.matcher(named.get()).matches()) {
            throw AdminRequestException.badRequest(AdminRequest.OPERATOR_HEADER
                    + " must be a user name (letters, digits and ._@+-, at most 64)");
        }
        return named.orElse("unnamed");
    }

    /** A misspelt filter must not widen an action to more mail than meant: unknown parameters are refused. */
    private static void allowOnly(AdminRequest request, List<String> names) {
        for (String given : request.query().keySet()) {
            if (!names.contains(given)) {
                throw AdminRequestException.badRequest("unknown parameter " + given
                        + (names.isEmpty() ? "" : " (known: " + String.join(", ", names) + ")"));
            }
        }
    }

    private static QueueId id(String text) {
        try {
            return SelectionParameters.id(text);
        } catch (IllegalArgumentException e) {
            throw AdminRequestException.badRequest(e.getMessage());
        }
    }

    private static boolean flag(AdminRequest request, String name) {
        return switch (request.parameter(name).orElse("false")) {
            case "true", "1", "yes", "" -> true;
            case "false", "0", "no" -> false;
            default -> throw AdminRequestException.badRequest(name + " is true or false");
        };
    }

    private static int top(String text) {
        try {
            int top = Integer.parseInt(text);
            if (top >= 0) {
                return top;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw AdminRequestException.badRequest("top is a whole number, 0 or more, not " + text);
    }

    static AdminRequestException missing(QueueId id) {
        return AdminRequestException.notFound("no message " + id + " in the queue");
    }

    private static AdminResponse ok(JsonNode json) {
        return AdminResponse.json(200, json.toString());
    }
}
