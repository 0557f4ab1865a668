package dev.mta.security.dns;

import java.net.InetAddress;

/**
 * The DNS port: asks one question and reports the outcome as a {@link DnsResult}, never as an
 * exception. Names may be given in any case, with or without the trailing dot, and as U-labels
 * (IDNA); the answer is about the normalised A-label name. CNAME chains are followed.
 *
 * <p>Calls block until the answer or the timeout; callers run them on virtual threads.
 * Implementations are thread-safe, and a slow answer to one question holds up no other.
 *
 * <p>A name that is not a domain name at all (empty, an empty label, a label over 63 octets) is
 * an {@link IllegalArgumentException}: callers validate addresses before they get here.
 */
public interface DnsResolver {

    /** The MX records of {@code domain} (RFC 5321 5.1), in the order of the answer. */
    DnsResult<MxRecord> mx(String domain);

    /** The IPv4 addresses of {@code host} (A records). */
    DnsResult<InetAddress> ipv4(String host);

    /** The IPv6 addresses of {@code host} (AAAA records). */
    DnsResult<InetAddress> ipv6(String host);

    /**
     * The TLSA records at {@code name}, the full TLSA query name such as
     * {@code "_25._tcp.mx1.example.org"} (RFC 6698 3, RFC 7672 2.2.1).
     */
    DnsResult<TlsaRecord> tlsa(String name);
}
