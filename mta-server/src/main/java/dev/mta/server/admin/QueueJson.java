package dev.mta.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mta.queue.Diagnosis;
import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.MessageDetail;
import dev.mta.queue.MessageSummary;
import dev.mta.queue.NoticeKind;
import dev.mta.queue.QueueChange;
import dev.mta.queue.QueueId;
import dev.mta.queue.QueueSummary;
import dev.mta.queue.QueueSummary.AgeBucket;
import dev.mta.queue.QueueSummary.DomainShape;
import dev.mta.queue.RecipientRef;
import dev.mta.queue.RecipientState;
import dev.mta.queue.RecipientStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The queue as the admin API writes it and {@code mta queue} reads it back: listings, one message,
 * the summary, and what an action changed. Times are ISO 8601 UTC, states and other enums lower
 * case; a field with no value is left out. {@code mta queue list --json} prints the listing in
 * this form too.
 */
public final class QueueJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueueJson() {
    }

    // ---- listings

    public static ArrayNode messages(List<MessageSummary> messages) {
        ArrayNode array = JSON.createArrayNode();
        for (MessageSummary message : messages) {
            ObjectNode node = array.addObject();
            node.put("id", message.id().toString());
            node.put("sender", message.sender());
            node.put("size", message.size());
            node.put("arrival", message.receivedAt().toString());
            recipients(node.putArray("recipients"), message.recipients());
        }
        return array;
    }

    public static List<MessageSummary> readMessages(JsonNode array) {
        List<MessageSummary> messages = new ArrayList<>();
        for (JsonNode node : array) {
            messages.add(new MessageSummary(QueueId.parse(text(node, "id")), text(node, "sender"), node.path("size").asLong(),
                    Instant.parse(text(node, "arrival")), readRecipients(node.path("recipients"))));
        }
        return messages;
    }

    private static void recipients(ArrayNode array, List<RecipientStatus> recipients) {
        for (RecipientStatus recipient : recipients) {
            ObjectNode entry = array.addObject();
            entry.put("index", recipient.index());
            entry.put("address", recipient.address());
            entry.put("state", lower(recipient.state()));
            entry.put("attempts", recipient.attempts());
            recipient.nextAttempt().ifPresent(t -> entry.put("nextAttempt", t.toString()));
            recipient.lastAttempt().ifPresent(t -> entry.put("lastAttempt", t.toString()));
            recipient.diagnosis().ifPresent(d -> {
                entry.put("status", d.status());
                entry.put("lastReply", d.text());
                d.remoteMta().ifPresent(mta -> entry.put("remoteMta", mta));
            });
            recipient.pendingNotice().ifPresent(n -> entry.put("noticePending", lower(n)));
            entry.put("delayWarned", recipient.delayWarned());
        }
    }

    private static List<RecipientStatus> readRecipients(JsonNode array) {
        List<RecipientStatus> recipients = new ArrayList<>();
        for (JsonNode entry : array) {
            Optional<Diagnosis> diagnosis = optional(entry, "status").map(status -> new Diagnosis(status, text(entry, "lastReply"),
                    optional(entry, "remoteMta")));
            recipients.add(new RecipientStatus(entry.path("index").asInt(), text(entry, "address"),
                    upper(RecipientState.class, text(entry, "state")), entry.path("attempts").asInt(),
                    optional(entry, "nextAttempt").map(Instant::parse), optional(entry, "lastAttempt").map(Instant::parse),
                    diagnosis, optional(entry, "noticePending").map(n -> upper(NoticeKind.class, n)),
                    entry.path("delayWarned").asBoolean()));
        }
        return recipients;
    }

    // ---- one message

    public static ObjectNode shown(ShownMessage shown) {
        MessageDetail message = shown.detail();
        Envelope envelope = message.envelope();
        ObjectNode node = JSON.createObjectNode();
        node.put("id", message.id().toString());
        node.put("size", message.size());
        ObjectNode env = node.putObject("envelope");
        env.put("sender", envelope.sender());
        env.put("arrival", envelope.receivedAt().toString());
        ObjectNode client = env.putObject("client");
        client.put("address", envelope.client().address());
        client.put("helo", envelope.client().heloName());
        envelope.client().authenticatedUser().ifPresent(user -> client.put("user", user));
        env.put("bodyType", lower(envelope.bodyType()));
        env.put("smtpUtf8", envelope.smtpUtf8());
        envelope.dsnReturn().ifPresent(ret -> env.put("dsnReturn", lower(ret)));
        envelope.dsnEnvelopeId().ifPresent(envid -> env.put("dsnEnvelopeId", envid));
        env.put("origin", lower(envelope.origin()));
        env.put("requireTls", envelope.requireTls());
        ArrayNode forwardPaths = env.putArray("recipients");
        for (EnvelopeRecipient recipient : envelope.recipients()) {
            ObjectNode path = forwardPaths.addObject();
            path.put("address", recipient.address());
            ArrayNode notify = path.putArray("notify");
            recipient.notifyOn().stream().sorted().forEach(n -> notify.add(lower(n)));
            recipient.originalRecipient().ifPresent(orcpt -> path.put("originalRecipient", orcpt));
        }
        recipients(node.putArray("recipients"), message.recipients());
        ArrayNode lines = node.putArray(shown.whole() ? "message" : "header");
        shown.lines().forEach(lines::add);
        return node;
    }

    public static ShownMessage readShown(JsonNode node) {
        JsonNode env = node.path("envelope");
        JsonNode client = env.path("client");
        List<EnvelopeRecipient> forwardPaths = new ArrayList<>();
        for (JsonNode path : env.path("recipients")) {
            Set<EnvelopeRecipient.Notify> notify = EnumSet.noneOf(EnvelopeRecipient.Notify.class);
            path.path("notify").forEach(n -> notify.add(upper(EnvelopeRecipient.Notify.class, n.asText())));
            forwardPaths.add(new EnvelopeRecipient(text(path, "address"), notify, optional(path, "originalRecipient")));
        }
        Envelope envelope = new Envelope(text(env, "sender"), forwardPaths, upper(Envelope.BodyType.class, text(env, "bodyType")),
                env.path("smtpUtf8").asBoolean(), optional(env, "dsnReturn").map(r -> upper(Envelope.DsnReturn.class, r)),
                optional(env, "dsnEnvelopeId"),
                new Envelope.ClientInfo(text(client, "address"), text(client, "helo"), optional(client, "user")),
                Instant.parse(text(env, "arrival")), upper(Envelope.Origin.class, text(env, "origin")),
                env.path("requireTls").asBoolean());
        MessageDetail detail = new MessageDetail(QueueId.parse(text(node, "id")), envelope, node.path("size").asLong(),
                readRecipients(node.path("recipients")));
        boolean whole = node.has("message");
        List<String> lines = new ArrayList<>();
        node.path(whole ? "message" : "header").forEach(line -> lines.add(line.asText()));
        return new ShownMessage(detail, whole, lines);
    }

    // ---- summary

    public static ObjectNode summary(QueueSummary summary) {
        ObjectNode node = JSON.createObjectNode();
        node.put("at", summary.at().toString());
        node.put("messages", summary.messages());
        node.set("total", shape(summary.total()));
        ArrayNode domains = node.putArray("domains");
        summary.domains().forEach(domain -> domains.add(shape(domain)));
        ArrayNode reasons = node.putArray("topReasons");
        summary.topReasons().forEach(reason -> reasons.addObject().put("reply", reason.reply()).put("recipients", reason.recipients()));
        return node;
    }

    public static QueueSummary readSummary(JsonNode node) {
        List<DomainShape> domains = new ArrayList<>();
        node.path("domains").forEach(domain -> domains.add(readShape(domain)));
        List<QueueSummary.DeferralReason> reasons = new ArrayList<>();
        node.path("topReasons").forEach(reason -> reasons.add(
                new QueueSummary.DeferralReason(text(reason, "reply"), reason.path("recipients").asInt())));
        return new QueueSummary(Instant.parse(text(node, "at")), node.path("messages").asInt(), readShape(node.path("total")),
                domains, reasons);
    }

    private static ObjectNode shape(DomainShape shape) {
        ObjectNode node = JSON.createObjectNode();
        node.put("domain", shape.domain());
        ObjectNode byState = node.putObject("byState");
        shape.byState().forEach((state, count) -> byState.put(lower(state), count));
        ObjectNode byAge = node.putObject("byAge");
        shape.byAge().forEach((bucket, count) -> byAge.put(bucket.label(), count));
        return node;
    }

    private static DomainShape readShape(JsonNode node) {
        Map<RecipientState, Integer> byState = new EnumMap<>(RecipientState.class);
        node.path("byState").properties().forEach(e -> byState.put(upper(RecipientState.class, e.getKey()), e.getValue().asInt()));
        Map<AgeBucket, Integer> byAge = new EnumMap<>(AgeBucket.class);
        for (AgeBucket bucket : AgeBucket.values()) {
            byAge.put(bucket, node.path("byAge").path(bucket.label()).asInt());
        }
        return new DomainShape(text(node, "domain"), byState, byAge);
    }

    // ---- actions

    public static ObjectNode change(QueueChange change) {
        ObjectNode node = JSON.createObjectNode();
        node.put("messages", change.messages());
        node.put("recipients", change.recipients());
        ArrayNode leased = node.putArray("leased");
        change.leased().forEach(ref -> leased.addObject().put("id", ref.message().toString()).put("index", ref.index()));
        return node;
    }

    public static QueueChange readChange(JsonNode node) {
        List<RecipientRef> leased = new ArrayList<>();
        node.path("leased").forEach(ref -> leased.add(new RecipientRef(QueueId.parse(text(ref, "id")), ref.path("index").asInt())));
        return new QueueChange(node.path("messages").asInt(), node.path("recipients").asInt(), leased);
    }

    // ---- text

    /** Indented, for people and scripts alike. */
    public static String write(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** @throws IllegalArgumentException when the text is not JSON */
    public static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("the field " + field + " is missing");
        }
        return value.asText();
    }

    private static Optional<String> optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E upper(Class<E> type, String text) {
        return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    }
}
