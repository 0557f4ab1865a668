/**
 * The relay's outbound SMTP client (RFC 5321) on Netty: one {@link dev.mta.delivery.smtpclient.SmtpClient}
 * per process carries one message at a time to one {@link dev.mta.delivery.smtpclient.Hop} and reports
 * what happened as a {@link dev.mta.delivery.smtpclient.TransactionResult}, one reply per recipient.
 * It speaks ESMTP with PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8
 * (RFC 6531), DSN (RFC 3461), STARTTLS (RFC 3207) as the hop's {@link dev.mta.delivery.smtpclient.TlsPolicy}
 * says, and AUTH PLAIN or LOGIN (RFC 4954) to a relay host; it keeps connections for reuse.
 *
 * <p>It does not decide what a failure means (next MX, defer, bounce): that is the caller's
 * classifier, over the sealed {@link dev.mta.delivery.smtpclient.DeliveryError}.
 *
 * <p>Inside: {@code SmtpReplyDecoder} and {@code SmtpCommandEncoder} turn bytes into replies and
 * commands without I/O; {@code SmtpConnection} is the per-connection handler that owns timers,
 * TLS and the body stream; {@code SessionOpening} and {@code MailTransaction} are the two
 * conversations run over it; {@code ConnectionPool} keeps idle sessions per hop.
 */
package dev.mta.delivery.smtpclient;
