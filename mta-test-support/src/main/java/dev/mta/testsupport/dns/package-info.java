/**
 * A DNS server for tests: real UDP and TCP on one loopback port, answering from zones built in
 * code, with faults (SERVFAIL, REFUSED, silence, truncation, garbage, delay) that a resolver
 * must survive. Zones keep their records as RRsets so that they can be signed for DNSSEC tests.
 */
package dev.mta.testsupport.dns;
