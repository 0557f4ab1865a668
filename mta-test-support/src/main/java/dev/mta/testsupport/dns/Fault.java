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
    MALFORMED
}
