package dev.mta.server.cli;

import dev.mta.queue.MessageStore;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.QueueSummary;
import dev.mta.queue.Selection;
import dev.mta.queue.StoreException;
import dev.mta.server.Relay;
import dev.mta.server.admin.QueueAction;
import dev.mta.server.admin.ShownMessage;
import dev.mta.server.config.RelayConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The queue opened in its store, as when the relay is down (H2's AUTO_SERVER lets it run beside a
 * relay too, but then a release or flush waits for the relay's next queue scan). Each action is
 * logged on {@code dev.mta.admin} with the OS user who ran the command.
 */
final class StoreQueueAccess implements QueueAccess {
    private static final org.slf4j.Logger ACTIONS = org.slf4j.LoggerFactory.getLogger("dev.mta.admin");

    private final MessageStore store;

    private StoreQueueAccess(MessageStore store) {
        this.store = store;
    }

    static StoreQueueAccess open(RelayConfig config) {
        return new StoreQueueAccess(openStore(config));
    }

    static MessageStore openStore(RelayConfig config) {
        try {
            return Relay.openStore(config, Clock.systemUTC());
        } catch (StoreException e) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "cannot open the queue in " + config.dataDirectory() + ": " + e.getMessage());
        }
    }

    @Override
    public List<MessageSummary> list(Selection selection) throws StoreException {
        return selection.isAll() ? store.list() : store.list(selection, Instant.now());
    }

    @Override
    public Optional<ShownMessage> show(QueueId id, boolean whole) throws StoreException {
        try {
            return ShownMessage.read(store, id, whole);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.IO_ERROR, "cannot read the message " + id + ": " + e.getMessage());
        }
    }

    @Override
    public QueueSummary summary(int topReasons) throws StoreException {
        return store.summary(Instant.now(), topReasons);
    }

    @Override
    public int flush(Optional<QueueId> message) throws StoreException {
        if (message.isPresent() && store.find(message.get()).isEmpty()) {
            throw QueueAccess.missing(message.get());
        }
        int due = store.flush(message, Instant.now());
        ACTIONS.info("queue flush by user={} {}: {} recipient(s) due now", user(), message.map(i -> "id=" + i).orElse("the whole queue"),
                due);
        return due;
    }

    @Override
    public QueueChange act(QueueAction action, Selection selection, Optional<String> reason) throws StoreException {
        QueueChange change = action.apply(store, selection, reason, Instant.now());
        ACTIONS.info("queue {} by user={} selection=[{}]: {} recipient(s) in {} message(s){}", action.verb(), user(), selection,
                change.recipients(), change.messages(),
                change.leased().isEmpty() ? "" : ", " + change.leased().size() + " being delivered, left alone");
        return change;
    }

    static String user() {
        return System.getProperty("user.name", "unknown");
    }

    @Override
    public void close() {
        store.close();
    }
}
