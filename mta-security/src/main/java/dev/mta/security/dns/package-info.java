/**
 * DNS as a port that reports honestly (DESIGN.md): the records, their DNSSEC status, and an
 * outcome that keeps NXDOMAIN, NODATA and failure (SERVFAIL, REFUSED, timeout, network,
 * malformed, bogus) apart, so that routing and DANE decide on facts rather than on exceptions.
 * {@link dev.mta.security.dns.DnsResolver} is the port; {@link dev.mta.security.dns.DnsjavaResolver}
 * asks real servers with dnsjava, validating DNSSEC in process from
 * {@link dev.mta.security.dns.TrustAnchors} (or trusting a loopback resolver's AD bit, or not at
 * all: {@link dev.mta.security.dns.DnssecMode}), and caches answers as their TTLs and signatures
 * allow.
 */
package dev.mta.security.dns;
