package dev.mta.security.policy;

import dev.mta.security.dane.ReferenceIdentifiers;
import dev.mta.security.dane.TlsaAssociation;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The security decided for one MX host (DESIGN.md step 4): what the SMTP client must do with TLS
 * on a connection to it, or that the host must not be used.
 */
public sealed interface HopPolicy {

    /** Never STARTTLS (level none). */
    record Cleartext() implements HopPolicy {
    }

    /** STARTTLS when offered, any certificate; clear text if the handshake fails (RFC 7672 1.3). */
    record Opportunistic() implements HopPolicy {
    }

    /**
     * STARTTLS mandatory, no authentication: level encrypt, or DANE with a secure TLSA RRset none
     * of whose records is usable (RFC 7672 2.2).
     */
    record Encrypted(String why) implements HopPolicy {
    }

    /**
     * Authenticated TLS by DANE (RFC 7672 2.2, 3.1).
     *
     * @param records    the usable TLSA records (DANE-TA and DANE-EE only, RFC 7672 3.1.3)
     * @param baseDomain the TLSA base domain: the SNI name (RFC 7672 8.1) and a reference identifier
     * @param referenceIdentifiers names a DANE-TA leaf certificate must match (RFC 7672 3.2.2)
     */
    record Dane(List<TlsaAssociation> records, String baseDomain, ReferenceIdentifiers referenceIdentifiers) implements HopPolicy {
        public Dane {
            records = List.copyOf(records);
            Objects.requireNonNull(baseDomain, "baseDomain");
            Objects.requireNonNull(referenceIdentifiers, "referenceIdentifiers");
            if (records.isEmpty()) {
                throw new IllegalArgumentException("DANE needs at least one usable TLSA record");
            }
        }
    }

    /** PKIX: a chain to the system's CAs and one of these names (levels verify and secure). */
    record Verified(Set<String> names) implements HopPolicy {
        public Verified {
            names = Set.copyOf(names);
        }
    }

    /**
     * An MTA-STS policy in enforce mode covers the host (RFC 8461 4.2): TLS mandatory, a PKIX
     * certificate valid for the MX host name.
     */
    record Sts(String mxHost, String policyDomain) implements HopPolicy {
        public Sts {
            Objects.requireNonNull(mxHost, "mxHost");
            Objects.requireNonNull(policyDomain, "policyDomain");
        }
    }

    /**
     * An MTA-STS policy in testing mode covers the domain (RFC 8461 5): delivery goes on as
     * without it (opportunistic TLS, any MX host), but the certificate is checked as enforce mode
     * would and a failure, or an MX host the policy does not list, is reported (RFC 8460).
     *
     * @param listed whether the policy's mx patterns name the host (RFC 8461 4.1)
     */
    record StsTesting(String mxHost, String policyDomain, boolean listed) implements HopPolicy {
        public StsTesting {
            Objects.requireNonNull(mxHost, "mxHost");
            Objects.requireNonNull(policyDomain, "policyDomain");
        }
    }

    /** The certificate or its key must have one of these digests (level fingerprint). */
    record Pinned(List<Fingerprint> fingerprints) implements HopPolicy {
        public Pinned {
            fingerprints = List.copyOf(fingerprints);
        }
    }

    /** Do not use this host: {@code cause} says which rule, {@code reason} the details for logs. */
    record Skip(SkipCause cause, String reason) implements HopPolicy {
        public Skip {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a host is not used; TLS reports name each differently (RFC 8460 4.3.2). */
    enum SkipCause {
        /** RFC 7672 2.2: the TLSA lookup failed or was bogus; never downgrade. */
        TLSA_LOOKUP_FAILED,
        /** The policy is dane-only and the host has no usable TLSA records. */
        DANE_REQUIRED,
        /** RFC 8461 4.1: an MTA-STS policy in enforce mode does not list the host. */
        NOT_IN_STS_POLICY
    }
}
