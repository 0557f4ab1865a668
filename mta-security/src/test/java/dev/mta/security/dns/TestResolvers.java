package dev.mta.security.dns;

import dev.mta.testsupport.dns.TestDnsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Resolvers that ask a {@link TestDnsServer}. */
final class TestResolvers {
    /** Patient enough that a loaded machine never turns an answer into a timeout. */
    static final Duration PATIENT = Duration.ofSeconds(5);

    private TestResolvers() {
    }

    static DnsjavaResolver against(TestDnsServer dns) {
        return against(dns, PATIENT);
    }

    /** Without DNSSEC, as the three-argument settings give. */
    static DnsjavaResolver against(TestDnsServer dns, Duration timeout) {
        return DnsjavaResolver.create(new DnsSettings(List.of(dns.address()), timeout, 1));
    }

    /** Validating from the signed server's own root, whose DS is written to a file in {@code dir}. */
    static DnsjavaResolver validating(TestDnsServer dns, Path dir, Clock clock) {
        return DnsjavaResolver.create(validatingSettings(dns, dir), clock);
    }

    static DnsSettings validatingSettings(TestDnsServer dns, Path dir) {
        return DnsSettings.validating(List.of(dns.address()), PATIENT, 1, anchorsFile(dns, dir));
    }

    static Path anchorsFile(TestDnsServer dns, Path dir) {
        try {
            return Files.writeString(Files.createTempFile(dir, "trust-anchors", ".txt"), dns.trustAnchor());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
