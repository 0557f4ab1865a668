package dev.mta.delivery.dsn;

import java.util.Objects;

/**
 * Why a recipient ended where it did, for the Diagnostic-Code field (RFC 3464 2.3.6) and the
 * human-readable part. The two kinds are kept apart because RFC 3464 2.3.6 reserves the "smtp"
 * diagnostic type for codes that an SMTP server actually issued; a reason the relay found itself
 * (no MX, TLS policy not met, expired in the queue) is typed {@value #LOCAL_DIAGNOSTIC_TYPE}, as
 * Postfix types its own reasons "X-Postfix".
 */
public sealed interface DsnDiagnostic {

    /** The diagnostic type of reasons the relay found itself (RFC 3464 2.3.6, "X-" private type). */
    String LOCAL_DIAGNOSTIC_TYPE = "X-Mta";

    /** The text as given: one or more lines. */
    String text();

    /** The diagnostic-type keyword of RFC 3464 2.3.6. */
    String type();

    static DsnDiagnostic smtpReply(String text) {
        return new SmtpReply(text);
    }

    static DsnDiagnostic localReason(String text) {
        return new LocalReason(text);
    }

    /**
     * The reply of a remote SMTP server, every line with its code as received (for a multi-line reply,
     * lines separated by CRLF or LF: "550-5.1.1 No such user\r\n550 5.1.1 Try again").
     */
    record SmtpReply(String text) implements DsnDiagnostic {
        public SmtpReply {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "smtp";
        }
    }

    /** A reason the relay found itself, without a remote reply: "Host or domain name not found". */
    record LocalReason(String text) implements DsnDiagnostic {
        public LocalReason {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return LOCAL_DIAGNOSTIC_TYPE;
        }
    }
}
