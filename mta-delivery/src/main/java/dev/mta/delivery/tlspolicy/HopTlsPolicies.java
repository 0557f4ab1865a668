package dev.mta.delivery.tlspolicy;

import dev.mta.delivery.smtpclient.TlsPolicy;
import dev.mta.security.policy.HopPolicy;
import java.time.Clock;
import java.util.Objects;
import javax.net.ssl.X509TrustManager;

/** Turns the security decided for a hop into what the SMTP client enforces on the connection. */
public final class HopTlsPolicies {
    private final Clock clock;
    private final X509TrustManager pkixTrust;

    /** @param pkixTrust the CAs the verify and secure levels trust (the system's, or a lab's CA file) */
    public HopTlsPolicies(Clock clock, X509TrustManager pkixTrust) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pkixTrust = Objects.requireNonNull(pkixTrust, "pkixTrust");
    }

    /** @throws IllegalArgumentException for {@link HopPolicy.Skip}, which has no connection */
    public TlsPolicy forHop(HopPolicy policy) {
        return switch (policy) {
            case HopPolicy.Cleartext ignored -> TlsPolicy.none();
            case HopPolicy.Opportunistic ignored -> TlsPolicy.opportunistic();
            case HopPolicy.Encrypted ignored -> new EncryptedTls();
            case HopPolicy.Dane dane -> new DaneTls(dane, clock);
            case HopPolicy.Verified verified -> new VerifiedTls(verified.names(), pkixTrust);
            case HopPolicy.Pinned pinned -> new PinnedTls(pinned.fingerprints());
            // RFC 8461 4.2: the certificate must be valid for the MX host name, by the Web PKI.
            case HopPolicy.Sts sts -> new VerifiedTls(java.util.Set.of(sts.mxHost()), pkixTrust, "sts");
            case HopPolicy.StsTesting testing ->
                    new StsTestingTls(new VerifiedTls(java.util.Set.of(testing.mxHost()), pkixTrust, "sts"));
            case HopPolicy.Skip skip -> throw new IllegalArgumentException("a skipped host has no TLS policy: " + skip.reason());
        };
    }
}
