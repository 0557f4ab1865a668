/**
 * An HTTPS server for tests ({@link dev.mta.testsupport.https.TestHttpsServer}): real TLS on a
 * loopback port with a certificate chosen per SNI name, answers chosen by Host header and path
 * (status, content type, body, redirects, delays, oversized bodies), and a record of every
 * request, so that an MTA-STS policy fetch can be tested end to end.
 */
package dev.mta.testsupport.https;
