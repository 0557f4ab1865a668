package dev.mta.security.policy;

import dev.mta.security.dane.ReferenceIdentifiers;
import dev.mta.security.dane.TlsaAssociation;
import dev.mta.security.dane.TlsaUsability;
import dev.mta.security.dns.DnsResolver;
import dev.mta.security.dns.DnsResult;
import dev.mta.security.dns.DnsSecurity;
import dev.mta.security.dns.TlsaRecord;
import dev.mta.security.mtasts.StsLookup;
import dev.mta.security.mtasts.StsMode;
import dev.mta.security.mtasts.StsPolicies;
import dev.mta.security.mtasts.StsPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides the security of one hop (DESIGN.md step 4) from the operator's level and, for DANE,
 * the DNSSEC status of the answers that led to the host and its TLSA records (RFC 7672 2.2).
 * It looks TLSA records up itself; everything else is given.
 */
public final class HopSecurity {
    private final DnsResolver dns;
    private final Optional<StsPolicies> sts;

    /** Without MTA-STS. */
    public HopSecurity(DnsResolver dns) {
        this(dns, Optional.empty());
    }

    /** @param sts the MTA-STS policies of destinations (RFC 8461), consulted where DANE does not apply */
    public HopSecurity(DnsResolver dns, Optional<StsPolicies> sts) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.sts = Objects.requireNonNull(sts, "sts");
    }

    /**
     * @param policy          the operator's policy for the next hop
     * @param nextHop         the next-hop domain: the recipient's domain, or a route's relay host
     * @param host            the host to connect to, as the MX record (or route) names it
     * @param mxSecurity      the DNSSEC status of the MX answer that named the host (for a domain
     *                        without MX, of that denial); empty when no MX lookup was made
     *                        (a bracketed relay host)
     * @param addressSecurity the weakest DNSSEC status of the host's address answers
     * @param canonicalHost   the host's name after CNAME expansion, if it is an alias
     * @param port            the TCP port, which names the TLSA records (RFC 7672 2.2.3)
     */
    public HopPolicy decide(DestinationPolicy policy, String nextHop, String host, Optional<DnsSecurity> mxSecurity,
            DnsSecurity addressSecurity, Optional<String> canonicalHost, int port) {
        return decide(policy, nextHop, host, mxSecurity, addressSecurity, canonicalHost, port, () -> stsFor(nextHop));
    }

    /**
     * The same, with the next hop's MTA-STS state given: an attempt over several MX hosts of one
     * domain looks it up once, not once per host.
     *
     * @param sts {@link #stsFor(String)} of {@code nextHop}, asked only where MTA-STS could apply
     */
    public HopPolicy decide(DestinationPolicy policy, String nextHop, String host, Optional<DnsSecurity> mxSecurity,
            DnsSecurity addressSecurity, Optional<String> canonicalHost, int port, Supplier<Optional<StsLookup>> sts) {
        return switch (policy.level()) {
            case NONE -> new HopPolicy.Cleartext();
            case MAY -> new HopPolicy.Opportunistic();
            case ENCRYPT -> new HopPolicy.Encrypted("the policy for " + nextHop + " is encrypt");
            // Postfix's defaults: verify checks the MX host name, secure the next-hop domain and its subdomains.
            case VERIFY -> new HopPolicy.Verified(policy.match().isEmpty() ? Set.of(lower(host)) : Set.copyOf(policy.match()));
            case SECURE -> new HopPolicy.Verified(policy.match().isEmpty()
                    ? Set.of(lower(nextHop), "." + lower(nextHop)) : Set.copyOf(policy.match()));
            case FINGERPRINT -> new HopPolicy.Pinned(policy.fingerprints());
            case DANE -> withSts(dane(false, nextHop, host, mxSecurity, addressSecurity, canonicalHost, port),
                    nextHop, host, mxSecurity.isPresent(), sts);
            case DANE_ONLY -> dane(true, nextHop, host, mxSecurity, addressSecurity, canonicalHost, port);
        };
    }

    /**
     * RFC 8461 2: where DANE applies (usable or unusable TLSA records, or a failed TLSA lookup)
     * it decides; otherwise an MTA-STS policy in enforce mode makes TLS mandatory with a PKIX
     * certificate for the MX host, and an MX host the policy does not list is not used (4.1).
     * Testing mode changes nothing for delivery (5) but is marked so that its failures are
     * reported. Only MX-routed mail is covered.
     */
    private HopPolicy withSts(HopPolicy dane, String nextHop, String host, boolean viaMx, Supplier<Optional<StsLookup>> sts) {
        if (!(dane instanceof HopPolicy.Opportunistic) || !viaMx) {
            return dane;
        }
        Optional<StsPolicy> policy = sts.get().flatMap(StsLookup::protection);
        if (policy.isEmpty()) {
            return dane;
        }
        boolean listed = policy.get().permits(lower(host));
        if (policy.get().mode() == StsMode.TESTING) {
            return new HopPolicy.StsTesting(lower(host), lower(nextHop), listed);
        }
        if (!listed) {
            return new HopPolicy.Skip(HopPolicy.SkipCause.NOT_IN_STS_POLICY, "the MTA-STS policy of " + lower(nextHop)
                    + " does not list " + lower(host) + " (mx " + policy.get().mx() + ")");
        }
        return new HopPolicy.Sts(lower(host), lower(nextHop));
    }

    /**
     * The MTA-STS policy of a next-hop domain as it applies now (RFC 8461 5.1), or empty when
     * MTA-STS is off. TLS reporting asks too: which policy a session was held to.
     */
    public Optional<StsLookup> stsFor(String nextHop) {
        return sts.map(policies -> policies.policyFor(lower(nextHop)));
    }

    private HopPolicy dane(boolean mandatory, String nextHop, String host, Optional<DnsSecurity> mxSecurity,
            DnsSecurity addressSecurity, Optional<String> canonicalHost, int port) {
        // RFC 7672 2.2.1 / 2.2.2: DANE needs a secure MX answer (when MX was used) and secure addresses.
        if (mxSecurity.isPresent() && mxSecurity.get() != DnsSecurity.SECURE) {
            return withoutTlsa(mandatory, "the MX answer for " + nextHop + " is " + name(mxSecurity.get()));
        }
        if (addressSecurity != DnsSecurity.SECURE) {
            return withoutTlsa(mandatory, "the address records of " + host + " are " + name(addressSecurity));
        }
        if (isAddressLiteral(host)) {
            return withoutTlsa(mandatory, host + " is an IP address, which has no TLSA records");
        }
        // RFC 7672 2.2.3: the CNAME-expanded name first, then the name as given.
        List<String> bases = new ArrayList<>();
        canonicalHost.map(HopSecurity::lower).filter(c -> !c.equals(lower(host))).ifPresent(bases::add);
        bases.add(lower(host));
        for (String base : bases) {
            String owner = "_" + port + "._tcp." + base;
            DnsResult<TlsaRecord> answer = dns.tlsa(owner);
            if (answer.security() == DnsSecurity.BOGUS || answer.security() == DnsSecurity.INDETERMINATE
                    || answer instanceof DnsResult.Failed<TlsaRecord>) {
                // RFC 7672 2.2: a failed or bogus TLSA lookup disqualifies the host; never downgrade.
                return new HopPolicy.Skip(HopPolicy.SkipCause.TLSA_LOOKUP_FAILED, "TLSA lookup of " + owner + " failed: " + describe(answer));
            }
            if (answer instanceof DnsResult.Found<TlsaRecord> found) {
                if (found.security() != DnsSecurity.SECURE) {
                    continue; // an insecure TLSA RRset is no TLSA RRset (RFC 7672 2.2)
                }
                List<TlsaAssociation> records = found.records().stream()
                        .map(r -> new TlsaAssociation(r.usage(), r.selector(), r.matchingType(), r.data())).toList();
                TlsaUsability.Partition partition = TlsaUsability.partition(records);
                if (partition.usable().isEmpty()) {
                    // RFC 7672 2.2 / 3.1.3: secure but unusable TLSA records still demand TLS, unauthenticated.
                    return mandatory
                            ? new HopPolicy.Skip(HopPolicy.SkipCause.DANE_REQUIRED, "no usable TLSA record at " + owner + " and the policy is dane-only")
                            : new HopPolicy.Encrypted("TLSA records at " + owner + " are all unusable");
                }
                ReferenceIdentifiers names = mxSecurity.isPresent() && !lower(nextHop).equals(lower(host))
                        ? ReferenceIdentifiers.forMxHost(base, lower(host), lower(nextHop))
                        : ReferenceIdentifiers.forNonMxHost(base, lower(host));
                return new HopPolicy.Dane(partition.usable(), base, names);
            }
            // NoData / NxDomain: securely denied or not, there are no TLSA records here.
        }
        return withoutTlsa(mandatory, "no TLSA records for " + lower(host) + " port " + port);
    }

    private static HopPolicy withoutTlsa(boolean mandatory, String why) {
        return mandatory ? new HopPolicy.Skip(HopPolicy.SkipCause.DANE_REQUIRED, why + ", and the policy is dane-only") : new HopPolicy.Opportunistic();
    }

    private static String describe(DnsResult<TlsaRecord> answer) {
        return switch (answer) {
            case DnsResult.Failed<TlsaRecord> failed -> failed.reason() + " (" + name(failed.security()) + ")";
            default -> "the answer is " + name(answer.security());
        };
    }

    private static String name(DnsSecurity security) {
        return security.name().toLowerCase(Locale.ROOT);
    }

    private static String lower(String name) {
        String value = name.toLowerCase(Locale.ROOT);
        return value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
    }

    private static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }
}
