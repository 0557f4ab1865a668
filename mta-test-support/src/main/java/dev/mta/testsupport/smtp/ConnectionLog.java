package dev.mta.testsupport.smtp;

import java.util.List;
import java.util.Optional;

/**
 * What the sink saw on one connection, as a snapshot.
 *
 * @param number        1 for the first connection the sink accepted, then 2, ...
 * @param commandGroups the command verbs (upper case) in the order received, grouped by what
 *                      arrived together: a new group starts whenever the sink had read everything
 *                      the client had sent and had to wait. A pipelining client (RFC 2920) puts
 *                      {@code MAIL, RCPT..., DATA} in one group; a lock-step client sends groups
 *                      of one.
 * @param transactions  how many MAIL commands the sink accepted on this connection
 * @param messages      how many messages the sink accepted (and recorded) on this connection
 * @param quitReceived  whether the client said QUIT
 * @param closed        whether the connection has ended
 * @param tls           the TLS session, once STARTTLS succeeded
 */
public record ConnectionLog(int number, List<List<String>> commandGroups, int transactions, int messages,
                            boolean quitReceived, boolean closed, Optional<TlsDetails> tls) {

    public ConnectionLog {
        commandGroups = commandGroups.stream().map(List::copyOf).toList();
    }

    /** Every verb received, in order, without the grouping. */
    public List<String> commands() {
        return commandGroups.stream().flatMap(List::stream).toList();
    }
}
