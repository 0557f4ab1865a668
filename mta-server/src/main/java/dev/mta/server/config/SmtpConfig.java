package dev.mta.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the SMTP listeners need.
 *
 * @param certificate     PEM certificate chain; empty: a self-signed one is made under the data directory
 * @param privateKey      PEM private key for {@code certificate}
 * @param relayNetworks   clients here relay without AUTH
 * @param usersFile       AUTH users (name:hash lines); empty: AUTH is not offered
 * @param limits          how many sessions, and how many errors in one
 */
public record SmtpConfig(
        List<ListenerConfig> listeners,
        Optional<Path> certificate,
        Optional<Path> privateKey,
        List<Cidr> relayNetworks,
        Optional<Path> usersFile,
        long maxMessageSize,
        int maxRecipients,
        long maxHeaderSize,
        Duration idleTimeout,
        Duration sessionTimeout,
        BareLineEndings bareLineEndings,
        EightBitPolicy eightBitWithout8BitMime,
        SessionLimits limits) {

    public SmtpConfig {
        listeners = List.copyOf(listeners);
        relayNetworks = List.copyOf(relayNetworks);
    }

    /**
     * @param maxConnections          sessions open at once on each listener; more get 421 4.7.0
     * @param maxConnectionsPerClient sessions open at once from one IP address on each listener
     * @param maxErrors               error replies in one session before it is ended with 421
     *                                (Postfix's smtpd_hard_error_limit)
     * @param maxAuthFailures         failed AUTH attempts from one address within 15 minutes
     *                                before it may not try again
     * @param maxJunkCommands         commands that move no mail (NOOP, RSET, VRFY...) between two
     *                                MAIL commands before the session is ended with 421
     *                                (Postfix's smtpd_junk_command_limit)
     */
    public record SessionLimits(int maxConnections, int maxConnectionsPerClient, int maxErrors, int maxAuthFailures,
            int maxJunkCommands) {
    }

    /** What to do with a line in DATA that ends in a bare LF or contains a bare CR. */
    public enum BareLineEndings {
        /** Treat bare LF and bare CR as CRLF; only CRLF.CRLF ends the data (Postfix's "normalize"). */
        NORMALIZE,
        /** Refuse the message at the end of data with 550 5.6.0. */
        REJECT
    }

    /** What to do with 8-bit bytes when MAIL did not say BODY=8BITMIME or SMTPUTF8 (RFC 6152). */
    public enum EightBitPolicy { REJECT, ACCEPT }
}
