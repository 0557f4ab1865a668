package dev.mta.delivery.tlsreport;

import dev.mta.delivery.smtpclient.CertificateProblem;
import dev.mta.delivery.smtpclient.DeliveryError;
import dev.mta.delivery.smtpclient.SessionInfo;
import dev.mta.delivery.smtpclient.Stage;
import dev.mta.delivery.smtpclient.TransactionResult;
import dev.mta.security.mtasts.StsLookup;
import dev.mta.security.policy.HopPolicy;
import dev.mta.security.tlsrpt.AppliedPolicy;
import dev.mta.security.tlsrpt.ResultType;
import dev.mta.security.tlsrpt.SessionFailure;
import dev.mta.security.tlsrpt.SessionOutcome;
import dev.mta.security.tlsrpt.TlsRptRecorder;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Tells TLS reporting (RFC 8460) how each delivery session went: which policy the host was held
 * to and, unless TLS worked as that policy wants, the result type of the failure (4.3).
 *
 * <p>The policy domain is the recipient domain for every policy type. RFC 8460 3 names the TLSA
 * base domain as the policy domain of DANE, but the domain that publishes the {@code _smtp._tls}
 * record and wants the report is the recipient domain (the question is open on the UTA list);
 * the TLSA records in the report say which host they belong to. Only MX-routed mail is reported:
 * a static route's relay host is the operator's own arrangement, not the destination's policy.
 *
 * <p>A session is one TLS negotiation: a transaction over a reused connection is not counted
 * again, and a host skipped before connecting counts as one failed session.
 */
public final class TlsSessionReporter {
    private static final int MAX_REASON_LENGTH = 200;

    private final Optional<Consumer<SessionOutcome>> recorder;

    private TlsSessionReporter(Optional<Consumer<SessionOutcome>> recorder) {
        this.recorder = recorder;
    }

    /** Counts sessions into {@code recorder}. */
    public static TlsSessionReporter to(TlsRptRecorder recorder) {
        Objects.requireNonNull(recorder, "recorder");
        return to(recorder::record);
    }

    /** Hands every session's outcome to {@code sink}: the TLS-RPT recorder, metrics, or both. */
    public static TlsSessionReporter to(Consumer<SessionOutcome> sink) {
        return new TlsSessionReporter(Optional.of(Objects.requireNonNull(sink, "sink")));
    }

    /** Reporting off: nothing is looked up or counted. */
    public static TlsSessionReporter off() {
        return new TlsSessionReporter(Optional.empty());
    }

    public boolean enabled() {
        return recorder.isPresent();
    }

    /**
     * A host not used because of its policy: a failed TLSA lookup (dnssec-invalid), dane-only
     * without usable TLSA records (dane-required), an MX host an MTA-STS policy in enforce mode
     * does not list (validation-failure, RFC 8460 4.3.2 has no closer type).
     */
    public void skipped(String domain, String host, HopPolicy.Skip skip, Optional<StsLookup> sts) {
        if (recorder.isEmpty()) {
            return;
        }
        SessionOutcome outcome = switch (skip.cause()) {
            case TLSA_LOOKUP_FAILED -> SessionOutcome.failure(AppliedPolicy.tlsa(domain, List.of()),
                    SessionFailure.atHost(ResultType.DNSSEC_INVALID, host).withFailureReasonCode(shortened(skip.reason())));
            case DANE_REQUIRED -> SessionOutcome.failure(AppliedPolicy.tlsa(domain, List.of()),
                    SessionFailure.atHost(ResultType.DANE_REQUIRED, host));
            case NOT_IN_STS_POLICY -> SessionOutcome.failure(stsPolicy(domain, sts),
                    SessionFailure.atHost(ResultType.VALIDATION_FAILURE, host).withFailureReasonCode("mx-not-in-policy"));
        };
        recorder.get().accept(outcome);
    }

    /** A connection to a host under {@code security}, as the SMTP client reported it. */
    public void session(String domain, HopPolicy security, Optional<StsLookup> sts, TransactionResult result) {
        if (recorder.isEmpty() || security instanceof HopPolicy.Cleartext) {
            return; // the operator turned TLS off for this destination: nothing to report
        }
        Optional<TransactionResult.Failed> failed = result instanceof TransactionResult.Failed failure
                ? Optional.of(failure) : Optional.empty();
        SessionInfo session = switch (result) {
            case TransactionResult.Completed completed -> completed.session();
            case TransactionResult.Failed failure -> failure.session();
            // Decided from the EHLO reply, after any TLS: the session it came from was counted.
            case TransactionResult.NotSendable ignored -> null;
        };
        if (session == null) {
            return;
        }
        if (!session.newSession()) {
            return;
        }
        if (failed.isPresent() && failed.get().stage().compareTo(Stage.STARTTLS) < 0) {
            return; // never got as far as TLS: a connection problem, not a TLS outcome
        }
        AppliedPolicy policy = appliedPolicy(domain, security, sts);
        Optional<SessionFailure> failure = policyFailure(sts, security)
                .or(() -> tlsFailure(security, session, failed))
                .map(f -> withConnection(f, session));
        recorder.get().accept(new SessionOutcome(policy, failure));
    }

    /** Which policy the host was held to (RFC 8460 4.4 policy-type). */
    private static AppliedPolicy appliedPolicy(String domain, HopPolicy security, Optional<StsLookup> sts) {
        if (security instanceof HopPolicy.Dane dane) {
            return AppliedPolicy.tlsa(domain, dane.records().stream().map(r -> r.presentation()).toList());
        }
        Optional<StsLookup> lookup = sts.filter(l -> !(l instanceof StsLookup.NoPolicy));
        if (lookup.isPresent() && (security instanceof HopPolicy.Sts || security instanceof HopPolicy.StsTesting
                || lookup.get() instanceof StsLookup.Unavailable)) {
            return stsPolicy(domain, lookup);
        }
        return AppliedPolicy.noPolicyFound(domain);
    }

    private static AppliedPolicy stsPolicy(String domain, Optional<StsLookup> sts) {
        if (sts.isPresent() && sts.get() instanceof StsLookup.InForce inForce) {
            return AppliedPolicy.sts(domain, inForce.policy());
        }
        return AppliedPolicy.sts(domain, List.of(), List.of());
    }

    /**
     * RFC 8460 4.3.2.2: an announced MTA-STS policy that could not be had is a failure of every
     * session that went without it, whatever happened on the connection.
     */
    private static Optional<SessionFailure> policyFailure(Optional<StsLookup> sts, HopPolicy security) {
        if (security instanceof HopPolicy.Dane || sts.isEmpty() || !(sts.get() instanceof StsLookup.Unavailable unavailable)) {
            return Optional.empty();
        }
        ResultType type = switch (unavailable.failure().kind()) {
            case FETCH_ERROR -> ResultType.STS_POLICY_FETCH_ERROR;
            case POLICY_INVALID -> ResultType.STS_POLICY_INVALID;
            case WEBPKI_INVALID -> ResultType.STS_WEBPKI_INVALID;
        };
        return Optional.of(SessionFailure.withoutConnection(type).withFailureReasonCode(shortened(unavailable.failure().reason())));
    }

    /** What went wrong with TLS on this connection, by the policy's standard (RFC 8460 4.3.1). */
    private static Optional<SessionFailure> tlsFailure(HopPolicy security, SessionInfo session,
            Optional<TransactionResult.Failed> failed) {
        String host = session.mxHost();
        if (failed.isPresent()) {
            DeliveryError error = failed.get().error();
            if (error instanceof DeliveryError.TlsFailed tls) {
                return Optional.of(certificateFailure(tls.problem(), host).withFailureReasonCode(shortened(tls.reason())));
            }
            if (error instanceof DeliveryError.TlsRequired) {
                return Optional.of(SessionFailure.atHost(ResultType.STARTTLS_NOT_SUPPORTED, host));
            }
            if (error instanceof DeliveryError.Reply reply && failed.get().stage() == Stage.STARTTLS) {
                return Optional.of(SessionFailure.atHost(ResultType.STARTTLS_NOT_SUPPORTED, host)
                        .withFailureReasonCode(shortened(reply.reply().toString())));
            }
        }
        if (session.clearTextFallback().isPresent()) {
            // The handshake failed and the message went on in clear text (RFC 7672 1.3).
            return Optional.of(SessionFailure.atHost(ResultType.VALIDATION_FAILURE, host)
                    .withFailureReasonCode(shortened(session.clearTextFallback().get())));
        }
        if (!session.encrypted()) {
            // Only a policy that allows clear text gets here: STARTTLS was not offered or was declined.
            return Optional.of(SessionFailure.atHost(ResultType.STARTTLS_NOT_SUPPORTED, host));
        }
        if (session.overlookedCertificateProblem().isPresent()) {
            var problem = session.overlookedCertificateProblem().get();
            return Optional.of(certificateFailure(Optional.of(problem.problem()), host).withFailureReasonCode(shortened(problem.reason())));
        }
        if (security instanceof HopPolicy.StsTesting testing && !testing.listed()) {
            return Optional.of(SessionFailure.atHost(ResultType.VALIDATION_FAILURE, host).withFailureReasonCode("mx-not-in-policy"));
        }
        return Optional.empty();
    }

    private static SessionFailure certificateFailure(Optional<CertificateProblem> problem, String host) {
        ResultType type = problem.map(p -> switch (p) {
            case NOT_TRUSTED -> ResultType.CERTIFICATE_NOT_TRUSTED;
            case EXPIRED -> ResultType.CERTIFICATE_EXPIRED;
            case NAME_MISMATCH -> ResultType.CERTIFICATE_HOST_MISMATCH;
            case TLSA_MISMATCH -> ResultType.TLSA_INVALID;
            case FINGERPRINT_MISMATCH -> ResultType.VALIDATION_FAILURE;
        }).orElse(ResultType.VALIDATION_FAILURE); // the handshake itself failed
        return SessionFailure.atHost(type, host);
    }

    private static SessionFailure withConnection(SessionFailure failure, SessionInfo session) {
        if (failure.receivingMxHostname().isEmpty()) {
            return failure; // a policy failure, before any connection
        }
        Optional<InetAddress> local = session.localAddress().map(a -> a.getAddress());
        SessionFailure connected = failure.onConnection(local, session.address().getAddress());
        return greetingName(session.greeting()).map(connected::withReceivingMxHelo).orElse(connected);
    }

    /** The host name in a {@code 220 mx.example.com ESMTP} greeting (RFC 5321 4.2). */
    private static Optional<String> greetingName(String greeting) {
        String[] words = greeting.strip().split("[ -]", 3);
        return words.length >= 2 && !words[1].isBlank() ? Optional.of(words[1]) : Optional.empty();
    }

    private static String shortened(String reason) {
        String oneLine = reason.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_REASON_LENGTH ? oneLine : oneLine.substring(0, MAX_REASON_LENGTH);
    }
}
