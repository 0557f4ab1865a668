/**
 * SMTP TLS Reporting (RFC 8460): the {@code _smtp._tls} TXT record
 * ({@link dev.mta.security.tlsrpt.TlsRptRecord}), the outcome of every delivery session per
 * policy domain ({@link dev.mta.security.tlsrpt.SessionOutcome}, counted by the
 * {@link dev.mta.security.tlsrpt.TlsRptRecorder} into a {@link dev.mta.security.tlsrpt.TlsRptStore}),
 * the daily JSON report ({@link dev.mta.security.tlsrpt.TlsRptReport}) and its two transports:
 * a multipart/report message for the relay's own queue ({@link dev.mta.security.tlsrpt.TlsRptMail})
 * and an HTTPS POST ({@link dev.mta.security.tlsrpt.TlsRptHttpsSender}).
 * {@link dev.mta.security.tlsrpt.TlsRptScheduler} says which UTC days are complete and unsent.
 * No DNS lookups and no queue access here: the caller looks the TXT record up and queues the mail.
 */
package dev.mta.security.tlsrpt;
