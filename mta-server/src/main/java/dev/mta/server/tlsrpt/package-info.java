/**
 * TLS reporting in the running relay (RFC 8460): the session counts kept across restarts in the
 * queue's keyed records ({@link dev.mta.server.tlsrpt.StoredTlsRptStore}, flushed periodically),
 * and the daily sending of the reports that are due ({@link dev.mta.server.tlsrpt.TlsRptDispatcher}):
 * the policy domain's {@code _smtp._tls} record looked up, the report queued as mail to its
 * mailto URIs and POSTed to its https URIs. What a report says and how it is written is
 * {@code dev.mta.security.tlsrpt}'s.
 */
package dev.mta.server.tlsrpt;
