/**
 * The sendmail command's side of local submission: reading a message from standard input the way
 * sendmail and Postfix do ({@link dev.mta.server.sendmail.MessageInput}), completing it
 * ({@link dev.mta.server.sendmail.SubmissionRules}: recipients from the header with -t, Bcc
 * removed, From, Date and Message-ID added, local addresses qualified and rewritten) and the SMTP
 * dialogue of {@code -bs} on standard input and output ({@link dev.mta.server.sendmail.StdioSmtpSession}).
 * What comes out is a {@link dev.mta.server.sendmail.Submission}, which the command drops into the
 * mail drop directory for the server to queue.
 */
package dev.mta.server.sendmail;
