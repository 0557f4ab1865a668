package dev.mta.security.policy;

import java.util.List;
import java.util.Objects;

/**
 * What the operator asks for one destination.
 *
 * @param level        the security level
 * @param match        for VERIFY and SECURE: the names the certificate must carry; empty means the
 *                     defaults (VERIFY: the MX host name; SECURE: the next-hop domain and its subdomains)
 * @param fingerprints for FINGERPRINT: the accepted certificate or key digests
 */
public record DestinationPolicy(TlsLevel level, List<String> match, List<Fingerprint> fingerprints) {

    public static final DestinationPolicy DEFAULT = new DestinationPolicy(TlsLevel.DANE, List.of(), List.of());

    public DestinationPolicy {
        Objects.requireNonNull(level, "level");
        match = List.copyOf(match);
        fingerprints = List.copyOf(fingerprints);
        if (level == TlsLevel.FINGERPRINT && fingerprints.isEmpty()) {
            throw new IllegalArgumentException("the fingerprint level needs at least one fingerprint");
        }
        if (level != TlsLevel.FINGERPRINT && !fingerprints.isEmpty()) {
            throw new IllegalArgumentException("fingerprints are only used with the fingerprint level");
        }
        if (!match.isEmpty() && level != TlsLevel.VERIFY && level != TlsLevel.SECURE) {
            throw new IllegalArgumentException("match names are only used with the verify and secure levels");
        }
    }

    public static DestinationPolicy of(TlsLevel level) {
        return new DestinationPolicy(level, List.of(), List.of());
    }
}
