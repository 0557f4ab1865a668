/**
 * Certificates and TLS contexts made at test time: CAs, leaves, intermediate chains and the
 * broken certificates (expired, wrong names, self-signed) that TLS, DANE and MTA-STS tests need.
 * Nothing is read from disk, so no fixture can expire in the repository.
 */
package dev.mta.testsupport.tls;
