/**
 * A DNS server for tests: real UDP and TCP on one loopback port, answering from zones built in
 * code (RRsets added, replaced and removed while it runs), with faults (SERVFAIL, REFUSED,
 * silence, truncation, garbage, delay) that a resolver must survive. Started signed, it serves a
 * test root and the zones below it signed at test time with keys generated per run (RRSIGs, NSEC
 * denial, DS in each parent), with ways to make a zone or a single RRset bogus, so that a
 * validating resolver can be tested against real DNSSEC.
 */
package dev.mta.testsupport.dns;
