package dev.mta.delivery.smtpclient;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One RCPT TO.
 *
 * @param address the forward-path without angle brackets
 * @param dsnNotify the DSN NOTIFY values ({@code NEVER}, or some of {@code SUCCESS}, {@code FAILURE},
 *                {@code DELAY}); empty when the submitter gave none (RFC 3461 4.1). Not called
 *                {@code notify}: a record component may not shadow {@code Object.notify()}.
 * @param orcpt   the original recipient as {@code addr-type;address}, decoded (not xtext), such as
 *                {@code rfc822;bob@example.com}
 */
public record OutboundRecipient(String address, Set<String> dsnNotify, Optional<String> orcpt) {

    public OutboundRecipient {
        OutboundMessage.checkPath(address, "recipient");
        dsnNotify = Set.copyOf(dsnNotify);
        Objects.requireNonNull(orcpt, "orcpt");
        orcpt.ifPresent(value -> {
            if (value.indexOf(';') <= 0) {
                throw new IllegalArgumentException("ORCPT needs addr-type;address: " + value);
            }
        });
    }

    /** A recipient without DSN parameters. */
    public OutboundRecipient(String address) {
        this(address, Set.of(), Optional.empty());
    }
}
