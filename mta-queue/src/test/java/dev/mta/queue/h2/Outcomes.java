package dev.mta.queue.h2;

import dev.mta.queue.Diagnosis;
import dev.mta.queue.Settlement;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Settlements for tests, as a delivery worker would make them from a reply of the next hop. */
final class Outcomes {
    static final String MX = "mx.example.net";
    private static final Pattern ENHANCED = Pattern.compile("^[245][0-9][0-9][ -]([245]\\.[0-9]{1,3}\\.[0-9]{1,3})\\b");

    private Outcomes() {
    }

    /** The reply of {@link #MX}, with its enhanced status code, or the bare class of its reply code. */
    static Diagnosis reply(String reply) {
        Matcher enhanced = ENHANCED.matcher(reply);
        String status = enhanced.find() ? enhanced.group(1) : reply.charAt(0) + ".0.0";
        return Diagnosis.remote(status, reply, MX);
    }

    static Settlement.Delivered delivered(String reply) {
        return new Settlement.Delivered(reply(reply), false);
    }

    static Settlement.Delivered deliveredWithNotice(String reply) {
        return new Settlement.Delivered(reply(reply), true);
    }

    static Settlement.Deferred deferred(String reply, Instant nextAttempt) {
        return new Settlement.Deferred(reply(reply), nextAttempt);
    }

    static Settlement.Bounced bounced(String reply) {
        return new Settlement.Bounced(reply(reply), false);
    }

    static Settlement.Bounced bouncedWithNotice(String reply) {
        return new Settlement.Bounced(reply(reply), true);
    }
}
