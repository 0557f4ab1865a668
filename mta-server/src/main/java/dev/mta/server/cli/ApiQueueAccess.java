package dev.mta.server.cli;

import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.QueueSummary;
import dev.mta.queue.Selection;
import dev.mta.server.admin.QueueAction;
import dev.mta.server.admin.QueueJson;
import dev.mta.server.admin.SelectionParameters;
import dev.mta.server.admin.ShownMessage;
import java.util.List;
import java.util.Optional;

/**
 * The queue through the running relay's admin API. The relay acts on its own store, so a
 * release, requeue or flush wakes its delivery at once, and the relay logs who did it.
 */
final class ApiQueueAccess implements QueueAccess {
    private static final String QUEUE = "/api/queue/";

    private final AdminApiClient client;

    ApiQueueAccess(AdminApiClient client) {
        this.client = client;
    }

    @Override
    public List<MessageSummary> list(Selection selection) {
        return QueueJson.readMessages(client.get(QUEUE + "messages" + query(SelectionParameters.query(selection))));
    }

    @Override
    public Optional<ShownMessage> show(QueueId id, boolean whole) {
        try {
            return Optional.of(QueueJson.readShown(client.get(QUEUE + "messages/" + id + (whole ? "?body=true" : ""))));
        } catch (CommandFailure e) {
            if (e.exitCode() == ExitCodes.DATA_ERROR) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public QueueSummary summary(int topReasons) {
        return QueueJson.readSummary(client.get(QUEUE + "summary?top=" + topReasons));
    }

    @Override
    public int flush(Optional<QueueId> message) {
        return client.post(QUEUE + "flush" + message.map(id -> "?id=" + id).orElse("")).path("due").asInt();
    }

    @Override
    public QueueChange act(QueueAction action, Selection selection, Optional<String> reason) {
        String query = SelectionParameters.query(selection);
        if (reason.isPresent()) {
            String pair = SelectionParameters.pair("reason", reason.get());
            query = query.isEmpty() ? pair : query + "&" + pair;
        }
        return QueueJson.readChange(client.post(QUEUE + action.verb() + query(query)));
    }

    private static String query(String query) {
        return query.isEmpty() ? "" : "?" + query;
    }

    @Override
    public void close() {
        client.close();
    }
}
