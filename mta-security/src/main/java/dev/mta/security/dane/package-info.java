/**
 * DANE for SMTP, the verifier (RFC 7672 3, RFC 6698, RFC 7218, RFC 7671): which TLSA records an
 * SMTP client uses ({@link dev.mta.security.dane.TlsaUsability}), and whether a server's
 * certificate chain satisfies them ({@link dev.mta.security.dane.DaneVerifier}, answering a
 * {@link dev.mta.security.dane.DaneVerdict}). Pure functions: the TLSA lookup, its DNSSEC status
 * and the choice of reference identifiers ({@link dev.mta.security.dane.ReferenceIdentifiers})
 * are the caller's.
 */
package dev.mta.security.dane;
