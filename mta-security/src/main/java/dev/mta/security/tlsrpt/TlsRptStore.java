package dev.mta.security.tlsrpt;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Where session counts live until their report is sent: the persistence port of TLS-RPT. The
 * {@link TlsRptRecorder} serialises its calls and enforces the limits; an implementation only
 * counts. {@link InMemoryTlsRptStore} loses the counts on restart; a database-backed one keeps them.
 */
public interface TlsRptStore {

    /** Counts one session: a success when {@code failure} is empty, else one more of that failure. */
    void add(ReportKey key, AppliedPolicy policy, Optional<SessionFailure> failure);

    /** Whether the report already has an entry for this policy. */
    boolean contains(ReportKey key, AppliedPolicy policy);

    /** Whether the policy's entry already counts this failure. */
    boolean contains(ReportKey key, AppliedPolicy policy, SessionFailure failure);

    /** How many reports (policy domains) the day has. */
    int reportCount(LocalDate day);

    /** How many distinct policies the report has. */
    int policyCount(ReportKey key);

    /** How many distinct failures the policy's entry has. */
    int failureCount(ReportKey key, AppliedPolicy policy);

    /** Every report with counts, oldest day first. */
    SortedSet<ReportKey> reportKeys();

    /** The counts of one report; empty when there are none. */
    List<PolicyCounts> counts(ReportKey key);

    /** Forgets a report, once it has been sent. */
    void remove(ReportKey key);
}
