package dev.mta.security.mtasts;

import dev.mta.security.dns.DnsResult;
import java.util.List;

/**
 * TXT questions, which the relay's {@link dev.mta.security.dns.DnsResolver} does not ask: each
 * record found is the list of its character-strings, in order.
 */
@FunctionalInterface
public interface TxtLookup {

    /** The TXT records at {@code name}; the outcome is reported, never thrown. */
    DnsResult<List<String>> txt(String name);
}
