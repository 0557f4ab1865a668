package dev.mta.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.RecipientStatus;
import java.util.List;
import java.util.Locale;

/** The queue listing as JSON, for scripts: one object per message, times in ISO 8601 UTC. */
final class QueueJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueueJson() {
    }

    static String messages(List<MessageSummary> messages) {
        ArrayNode array = JSON.createArrayNode();
        for (MessageSummary message : messages) {
            ObjectNode node = array.addObject();
            node.put("id", message.id().toString());
            node.put("sender", message.sender());
            node.put("size", message.size());
            node.put("arrival", message.receivedAt().toString());
            ArrayNode recipients = node.putArray("recipients");
            for (RecipientStatus recipient : message.recipients()) {
                ObjectNode entry = recipients.addObject();
                entry.put("address", recipient.address());
                entry.put("state", recipient.state().name().toLowerCase(Locale.ROOT));
                entry.put("attempts", recipient.attempts());
                recipient.nextAttempt().ifPresent(t -> entry.put("nextAttempt", t.toString()));
                recipient.lastAttempt().ifPresent(t -> entry.put("lastAttempt", t.toString()));
                recipient.diagnosis().ifPresent(d -> {
                    entry.put("status", d.status());
                    entry.put("lastReply", d.text());
                });
                recipient.pendingNotice().ifPresent(n -> entry.put("noticePending", n.name().toLowerCase(Locale.ROOT)));
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the queue as JSON", e);
        }
    }
}
