package dev.mta.security.dns;

import dev.mta.testsupport.dns.TestDnsServer;
import java.time.Duration;
import java.util.List;

/** Resolvers that ask a {@link TestDnsServer}. */
final class TestResolvers {
    private TestResolvers() {
    }

    /** Patient enough that a loaded machine never turns an answer into a timeout. */
    static DnsjavaResolver against(TestDnsServer dns) {
        return against(dns, Duration.ofSeconds(5));
    }

    static DnsjavaResolver against(TestDnsServer dns, Duration timeout) {
        return DnsjavaResolver.create(new DnsSettings(List.of(dns.address()), timeout, 1));
    }
}
