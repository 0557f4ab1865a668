package dev.mta.server.tlsrpt;

import dev.mta.security.tlsrpt.ReportKey;
import java.util.List;

/** What one run of the {@link TlsRptDispatcher} did with one due report. */
public sealed interface DispatchOutcome {

    ReportKey report();

    /**
     * Every transport of the policy domain's record took the report; it is forgotten.
     *
     * @param transports one line per transport: what was done and what came of it
     */
    record Sent(ReportKey report, List<String> transports) implements DispatchOutcome {
        public Sent {
            transports = List.copyOf(transports);
        }
    }

    /** The policy domain publishes no usable TLS-RPT record (RFC 8460 3): nothing to send; forgotten. */
    record NoRecord(ReportKey report) implements DispatchOutcome {
    }

    /** The record could not be looked up, or a transport failed: kept for the next run. */
    record Deferred(ReportKey report, String reason) implements DispatchOutcome {
    }

    /** It failed again after its retry window: forgotten, with what did and did not go. */
    record GivenUp(ReportKey report, String reason) implements DispatchOutcome {
    }
}
