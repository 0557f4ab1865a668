package dev.mta.delivery.dsn;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One recipient of a DSN: the per-recipient fields of RFC 3464 2.3.
 *
 * @param finalRecipient    the address the relay tried to deliver to (Final-Recipient, 2.3.2)
 * @param originalRecipient ORCPT of RCPT as kept by the queue, "addr-type;address" with the address
 *                          xtext-decoded (RFC 3461 4.2); echoed as Original-Recipient (2.3.1)
 * @param action            the Action field (2.3.3)
 * @param status            the RFC 3463 status code "class.subject.detail" (Status, 2.3.4); its
 *                          class must fit the action (see {@link DsnAction})
 * @param remoteMta         the host name of the server that gave the diagnostic, if one did
 *                          (Remote-MTA, 2.3.5)
 * @param diagnostic        the remote reply or the relay's own reason (Diagnostic-Code, 2.3.6)
 * @param lastAttempt       when the relay last tried (Last-Attempt-Date, 2.3.7)
 * @param willRetryUntil    when the relay gives up, for {@link DsnAction#DELAYED} only
 *                          (Will-Retry-Until, 2.3.9)
 */
public record DsnRecipient(
        String finalRecipient,
        Optional<String> originalRecipient,
        DsnAction action,
        String status,
        Optional<String> remoteMta,
        Optional<DsnDiagnostic> diagnostic,
        Optional<Instant> lastAttempt,
        Optional<Instant> willRetryUntil) {

    // RFC 3463 2: status-code = class "." subject "." detail; 1 to 3 digits each after the class.
    private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");
    // RFC 3464 2.1.2 / RFC 3461 4.2: address-type is an atom (registered types: rfc822, utf-8, x400).
    private static final Pattern ORIGINAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*;.+", Pattern.DOTALL);

    public DsnRecipient {
        Objects.requireNonNull(finalRecipient, "finalRecipient");
        if (finalRecipient.isBlank()) {
            throw new IllegalArgumentException("a DSN recipient needs the address that was tried");
        }
        Objects.requireNonNull(originalRecipient, "originalRecipient");
        originalRecipient.ifPresent(o -> {
            if (!ORIGINAL.matcher(o).matches()) {
                throw new IllegalArgumentException("original recipient must be addr-type;address: " + o);
            }
        });
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        if (!STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("status must be an RFC 3463 code like 5.1.1: " + status);
        }
        if (!action.allowsStatusClass(status.charAt(0))) {
            throw new IllegalArgumentException("status " + status + " cannot go with action " + action.keyword());
        }
        Objects.requireNonNull(remoteMta, "remoteMta");
        Objects.requireNonNull(diagnostic, "diagnostic");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        Objects.requireNonNull(willRetryUntil, "willRetryUntil");
        if (willRetryUntil.isPresent() && action != DsnAction.DELAYED) {
            // RFC 3464 2.3.9: the field is for "delayed" DSNs.
            throw new IllegalArgumentException("Will-Retry-Until belongs to a delayed recipient only");
        }
    }
}
