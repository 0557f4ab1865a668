package dev.mta.security.tlsrpt;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the report says about one failed session: an entry of {@code failure-details}
 * (RFC 8460 4.4). Failures equal in every field are counted together as one entry with its
 * {@code failed-session-count}.
 *
 * @param resultType            why it failed (RFC 8460 4.3)
 * @param sendingMtaIp          this relay's address on the connection, RFC 5952 text for IPv6
 * @param receivingMxHostname   the MX host name tried
 * @param receivingMxHelo       the name in the server's greeting or EHLO reply, when known
 * @param receivingIp           the address connected to
 * @param additionalInformation a URI with more about the failure (RFC 8460 4.4), rarely known
 * @param failureReasonCode     a short error code or text, such as the TLS alert or HTTP status
 */
public record SessionFailure(
        ResultType resultType,
        Optional<String> sendingMtaIp,
        Optional<String> receivingMxHostname,
        Optional<String> receivingMxHelo,
        Optional<String> receivingIp,
        Optional<String> additionalInformation,
        Optional<String> failureReasonCode) {

    public SessionFailure {
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(sendingMtaIp, "sendingMtaIp");
        Objects.requireNonNull(receivingMxHostname, "receivingMxHostname");
        Objects.requireNonNull(receivingMxHelo, "receivingMxHelo");
        Objects.requireNonNull(receivingIp, "receivingIp");
        Objects.requireNonNull(additionalInformation, "additionalInformation");
        Objects.requireNonNull(failureReasonCode, "failureReasonCode");
    }

    /** A failure on a connection to {@code receivingMxHostname} at {@code receivingIp}. */
    public static SessionFailure of(ResultType resultType, InetAddress sendingMtaIp, String receivingMxHostname,
                                    InetAddress receivingIp) {
        return new SessionFailure(resultType, Optional.of(addressText(sendingMtaIp)),
                Optional.of(receivingMxHostname), Optional.empty(), Optional.of(addressText(receivingIp)),
                Optional.empty(), Optional.empty());
    }

    /**
     * A failure before any connection, such as an MTA-STS policy that could not be fetched: only
     * the result type (and perhaps a reason code) is known.
     */
    public static SessionFailure withoutConnection(ResultType resultType) {
        return new SessionFailure(resultType, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** A failure with an MX host, before or without a connection (a host skipped by policy). */
    public static SessionFailure atHost(ResultType resultType, String receivingMxHostname) {
        return new SessionFailure(resultType, Optional.empty(), Optional.of(receivingMxHostname), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The same failure on a connection between these addresses; the relay's own may be unknown. */
    public SessionFailure onConnection(Optional<InetAddress> sendingMtaIp, InetAddress receivingIp) {
        return new SessionFailure(resultType, sendingMtaIp.map(SessionFailure::addressText), receivingMxHostname,
                receivingMxHelo, Optional.of(addressText(receivingIp)), additionalInformation, failureReasonCode);
    }

    public SessionFailure withReceivingMxHelo(String helo) {
        return new SessionFailure(resultType, sendingMtaIp, receivingMxHostname, Optional.of(helo), receivingIp,
                additionalInformation, failureReasonCode);
    }

    public SessionFailure withFailureReasonCode(String code) {
        return new SessionFailure(resultType, sendingMtaIp, receivingMxHostname, receivingMxHelo, receivingIp,
                additionalInformation, Optional.of(code));
    }

    public SessionFailure withAdditionalInformation(String uri) {
        return new SessionFailure(resultType, sendingMtaIp, receivingMxHostname, receivingMxHelo, receivingIp,
                Optional.of(uri), failureReasonCode);
    }

    /** The same failure with only its result type: what is kept when the detail limit is reached. */
    SessionFailure resultTypeOnly() {
        return withoutConnection(resultType);
    }

    /**
     * An address as the report writes it: dotted decimal, or for IPv6 the canonical text of
     * RFC 5952 (RFC 8460 4.4 {@code sending-mta-ip}), which the JDK does not produce.
     */
    static String addressText(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        // RFC 5952 4.2: the longest run of two or more zero groups becomes "::", the first on a tie
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            // RFC 5952 4.1 and 4.3: no leading zeros, lower case
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
