package dev.mta.queue;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One forward path with its RFC 3461 parameters.
 *
 * @param address  the recipient address as given (local part case preserved)
 * @param notifyOn NOTIFY of RCPT (RFC 3461 4.1); empty set when not given (the default applies)
 * @param originalRecipient ORCPT of RCPT (RFC 3461 4.2) as "addr-type;xtext-decoded address"
 */
public record EnvelopeRecipient(String address, Set<Notify> notifyOn, Optional<String> originalRecipient) {

    public EnvelopeRecipient {
        Objects.requireNonNull(address, "address");
        notifyOn = Set.copyOf(notifyOn);
        if (notifyOn.contains(Notify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined (RFC 3461 4.1)");
        }
        Objects.requireNonNull(originalRecipient, "originalRecipient");
    }

    public static EnvelopeRecipient of(String address) {
        return new EnvelopeRecipient(address, Set.of(), Optional.empty());
    }

    /** The domain part, lower-cased: what recipients are grouped by for delivery. */
    public String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }

    public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }
}
