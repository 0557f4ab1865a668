package dev.mta.testsupport.dns;

/** What the server does instead of answering from its zones. */
enum Fault {
    /** RCODE 2: the server could not answer. */
    SERVFAIL,
    /** RCODE 5: the server will not answer. */
    REFUSE,
    /** No answer at all, so the client times out. */
    DROP,
    /** Over UDP an empty answer with the TC bit (RFC 1035 4.1.1), so the client must ask over TCP. */
    TRUNCATE_UDP,
    /** An answer with the right id whose body cannot be parsed. */
    MALFORMED,
    /** Random octets instead of a DNS message, as from a broken middlebox or a stray service on the port. */
    GARBAGE,
    /**
     * An NXDOMAIN answer whose id is not the query's: a stray or spoofed packet, which a client
     * must not take for the answer (RFC 5452 4.3), least of all as "no such domain".
     */
    WRONG_ID,
    /** The zone's answer cut off halfway, without the TC bit: a datagram damaged on the way. */
    CUT_SHORT
}
