package dev.mta.server.cli;

import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.QueueSummary;
import dev.mta.queue.Selection;
import dev.mta.server.admin.QueueAction;
import dev.mta.server.admin.ShownMessage;
import dev.mta.server.config.RelayConfig;
import java.util.List;
import java.util.Optional;

/**
 * The queue as {@code mta queue} reaches it: through the running relay's admin API, or, when no
 * relay answers there, straight in the store. The commands print the same whichever it is.
 */
interface QueueAccess extends AutoCloseable {

    List<MessageSummary> list(Selection selection) throws Exception;

    /** One message with its header, or its whole text when {@code whole}; empty when it is not queued. */
    Optional<ShownMessage> show(QueueId id, boolean whole) throws Exception;

    QueueSummary summary(int topReasons) throws Exception;

    /**
     * Makes deferred recipients due now: of one message, or of all.
     *
     * @return how many became due
     * @throws CommandFailure DATA_ERROR when the message is not queued
     */
    int flush(Optional<QueueId> message) throws Exception;

    /** @param reason for a bounce, the DSN's text */
    QueueChange act(QueueAction action, Selection selection, Optional<String> reason) throws Exception;

    @Override
    void close();

    /**
     * The running relay's API when its admin listener answers; the store when nothing listens
     * there (connection refused), when the admin listener is off, or when its port is 0 (picked
     * at start, so not known here). A listener that answers with an error is an error.
     */
    static QueueAccess open(RelayConfig config) {
        return AdminApiClient.connect(config.admin())
                .<QueueAccess>map(ApiQueueAccess::new)
                .orElseGet(() -> StoreQueueAccess.open(config));
    }

    /** The message the CLI prints for a message that is not queued, whichever way it asked. */
    static CommandFailure missing(QueueId id) {
        return new CommandFailure(ExitCodes.DATA_ERROR, "no message " + id + " in the queue");
    }
}
