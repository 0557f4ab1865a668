/**
 * The relay's own TLS identity: certificate chain and key read from PEM files, and the server
 * SSL context with the protocol and cipher-suite policy of the SMTP listeners.
 */
package dev.mta.security.tls;
