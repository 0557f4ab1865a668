package dev.mta.security.tlsrpt;

/** What came of POSTing a report to an https rua (RFC 8460 5.4). */
public sealed interface HttpsPostOutcome {

    /** A 2xx answer: the collector has the report. */
    record Accepted(int status) implements HttpsPostOutcome {
    }

    /** Another HTTP status: the collector refused; the caller may retry (RFC 8460 5.5). */
    record Refused(int status) implements HttpsPostOutcome {
    }

    /** No HTTP answer: connection, TLS or timeout failure. */
    record Failed(String reason) implements HttpsPostOutcome {
    }
}
