/**
 * DNS as a port that reports honestly (DESIGN.md): the records, their DNSSEC status, and an
 * outcome that keeps NXDOMAIN, NODATA and failure (SERVFAIL, REFUSED, timeout, network,
 * malformed) apart, so that routing and DANE decide on facts rather than on exceptions.
 * {@link dev.mta.security.dns.DnsResolver} is the port; {@link dev.mta.security.dns.DnsjavaResolver}
 * asks real servers with dnsjava.
 */
package dev.mta.security.dns;
