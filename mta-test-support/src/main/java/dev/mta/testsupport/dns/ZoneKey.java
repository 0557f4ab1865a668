package dev.mta.testsupport.dns;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * The one key of a signed test zone: a combined signing key (CSK), that is a key with the SEP
 * flag that signs the DNSKEY set and every other RRset alike, so that one DS in the parent
 * suffices. ECDSA P-256 with SHA-256 (algorithm 13, RFC 6605), generated afresh for every zone of
 * every run, so no test depends on a key checked in anywhere.
 */
final class ZoneKey {
    private static final int PROTOCOL = 3; // RFC 4034 2.1.2: always 3

    private final KeyPair pair;
    private final DNSKEYRecord dnskey;

    private ZoneKey(KeyPair pair, DNSKEYRecord dnskey) {
        this.pair = pair;
        this.dnskey = dnskey;
    }

    static ZoneKey generate(Name origin, long ttl) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            // RFC 4034 2.1.1: ZONE for a key that signs zone data, SEP for the one the DS points to.
            int flags = DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY;
            DNSKEYRecord dnskey = new DNSKEYRecord(origin, DClass.IN, ttl, flags, PROTOCOL,
                    DNSSEC.Algorithm.ECDSAP256SHA256, pair.getPublic());
            return new ZoneKey(pair, dnskey);
        } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot generate an ECDSA P-256 key for " + origin, e);
        }
    }

    DNSKEYRecord dnskey() {
        return dnskey;
    }

    /** The DS record for this key with a SHA-256 digest (RFC 4509), as the parent publishes it. */
    DSRecord ds(long ttl) {
        return new DSRecord(dnskey.getName(), DClass.IN, ttl, DNSSEC.Digest.SHA256, dnskey);
    }

    RRSIGRecord sign(RRset rrset, Instant inception, Instant expiration) {
        try {
            return DNSSEC.sign(rrset, dnskey, pair.getPrivate(), inception, expiration);
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot sign " + rrset.getName() + "/" + rrset.getType(), e);
        }
    }
}
