package dev.mta.server.config;

import java.util.Locale;

/** What kind of SMTP service a listener offers. */
public enum ListenerMode {
    /** Port 25 style: STARTTLS offered when a certificate is there; relay rules decide. */
    RELAY,
    /** Port 587 (RFC 6409): STARTTLS; Message-ID and Date added when missing. */
    SUBMISSION,
    /** Port 465 (RFC 8314): TLS from the first byte; Message-ID and Date added when missing. */
    SUBMISSIONS;

    public boolean isSubmission() {
        return this != RELAY;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ListenerMode parse(String text) {
        for (ListenerMode mode : values()) {
            if (mode.configName().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("must be relay, submission or submissions, not '" + text + "'");
    }
}
