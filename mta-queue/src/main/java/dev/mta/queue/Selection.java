package dev.mta.queue;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which recipients an operator means: for the queue actions ({@link MessageStore#hold},
 * {@link MessageStore#delete}, ...) and for filtered listings ({@link MessageStore#list(Selection,
 * java.time.Instant)}). Every criterion given must hold (AND); a criterion not given matches
 * everything, so {@link #all()} matches the whole queue. Build it from {@link #all()} or
 * {@link #messages} and add criteria; each may be given once.
 *
 * <p>A recipient matches when its message matches (queue id, sender, age) and the recipient
 * itself does (address, domain, state, reason). Addresses match with the domain in any case and
 * the local part exactly (RFC 5321 2.4: only the local part may be case-sensitive); the empty
 * sender is the null reverse-path of notices. The domain is the part after the last {@code @},
 * in any case, without subdomains. The reason is a substring of the recipient's last reply, in
 * any case.
 *
 * @param ids             the messages, or empty for every message
 * @param sender          the envelope sender
 * @param recipient       the recipient address
 * @param recipientDomain the recipient's domain, lower case
 * @param states          the recipient states, or empty for every state
 * @param minimumAge      how long ago the message arrived, at least
 * @param reason          a substring of the last reply (for deferred mail: why it waits)
 */
public record Selection(
        Set<QueueId> ids,
        Optional<String> sender,
        Optional<String> recipient,
        Optional<String> recipientDomain,
        Set<RecipientState> states,
        Optional<Duration> minimumAge,
        Optional<String> reason) {

    private static final Selection ALL = new Selection(Set.of(), Optional.empty(), Optional.empty(), Optional.empty(),
            Set.of(), Optional.empty(), Optional.empty());

    public Selection {
        ids = Set.copyOf(ids);
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        recipientDomain = recipientDomain.map(Selection::domainOf);
        states = states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
        Objects.requireNonNull(minimumAge, "minimumAge");
        if (minimumAge.isPresent() && minimumAge.get().isNegative()) {
            throw new IllegalArgumentException("a minimum age cannot be negative: " + minimumAge.get());
        }
        Objects.requireNonNull(reason, "reason");
        if (reason.isPresent() && reason.get().isBlank()) {
            throw new IllegalArgumentException("a reason to match needs some text");
        }
        if (recipient.isPresent() && recipient.get().isEmpty()) {
            throw new IllegalArgumentException("a recipient address cannot be empty");
        }
    }

    /** Every recipient of every message. */
    public static Selection all() {
        return ALL;
    }

    /** The recipients of these messages. */
    public static Selection messages(Collection<QueueId> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("name at least one message; use Selection.all() for the whole queue");
        }
        return new Selection(Set.copyOf(ids), Optional.empty(), Optional.empty(), Optional.empty(), Set.of(),
                Optional.empty(), Optional.empty());
    }

    public static Selection messages(QueueId... ids) {
        return messages(Set.of(ids));
    }

    /** Whether no criterion is given: the whole queue (an operator tool asks before deleting that). */
    public boolean isAll() {
        return equals(ALL);
    }

    /** Messages from this envelope sender; {@code ""} for the null sender. */
    public Selection sender(String address) {
        Objects.requireNonNull(address, "address");
        once(sender, "sender");
        return new Selection(ids, Optional.of(address), recipient, recipientDomain, states, minimumAge, reason);
    }

    public Selection recipient(String address) {
        Objects.requireNonNull(address, "address");
        once(recipient, "recipient");
        return new Selection(ids, sender, Optional.of(address), recipientDomain, states, minimumAge, reason);
    }

    public Selection recipientDomain(String domain) {
        Objects.requireNonNull(domain, "domain");
        once(recipientDomain, "recipient domain");
        return new Selection(ids, sender, recipient, Optional.of(domain), states, minimumAge, reason);
    }

    /** Recipients in any of these states. */
    public Selection states(RecipientState first, RecipientState... more) {
        if (!states.isEmpty()) {
            throw new IllegalStateException("the states are already chosen: " + states);
        }
        return new Selection(ids, sender, recipient, recipientDomain, EnumSet.of(first, more), minimumAge, reason);
    }

    /** Messages that arrived at least {@code age} ago. */
    public Selection olderThan(Duration age) {
        Objects.requireNonNull(age, "age");
        once(minimumAge, "minimum age");
        return new Selection(ids, sender, recipient, recipientDomain, states, Optional.of(age), reason);
    }

    /** Recipients whose last reply contains {@code text}, in any case. */
    public Selection reason(String text) {
        Objects.requireNonNull(text, "text");
        once(reason, "reason");
        return new Selection(ids, sender, recipient, recipientDomain, states, minimumAge, Optional.of(text));
    }

    /** The criteria as an operator reads them in a log line: {@code sender=<> domain=example.net}. */
    @Override
    public String toString() {
        if (isAll()) {
            return "the whole queue";
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (!ids.isEmpty()) {
            parts.add("ids=" + ids.stream().map(QueueId::value).sorted().collect(java.util.stream.Collectors.joining(",")));
        }
        sender.ifPresent(s -> parts.add("sender=<" + s + ">"));
        recipient.ifPresent(r -> parts.add("recipient=<" + r + ">"));
        recipientDomain.ifPresent(d -> parts.add("domain=" + d));
        if (!states.isEmpty()) {
            parts.add("states=" + states.stream().sorted().map(Enum::name).collect(java.util.stream.Collectors.joining(",")));
        }
        minimumAge.ifPresent(a -> parts.add("older than " + a));
        reason.ifPresent(r -> parts.add("reason contains \"" + r + "\""));
        return String.join(" ", parts);
    }

    private static void once(Optional<?> criterion, String name) {
        if (criterion.isPresent()) {
            throw new IllegalStateException("the " + name + " is already chosen: " + criterion.get());
        }
    }

    private static String domainOf(String given) {
        String domain = given.strip();
        if (domain.startsWith("@")) {
            domain = domain.substring(1);
        }
        if (domain.isEmpty() || domain.contains("@")) {
            throw new IllegalArgumentException("not a domain: " + given);
        }
        return domain.toLowerCase(Locale.ROOT);
    }
}
