package dev.mta.testsupport.dns;

import org.xbill.DNS.Type;

/**
 * One query the {@link TestDnsServer} received, whatever it then did with it (dropped queries
 * are recorded too).
 *
 * @param name      the question name, lower case, without the trailing dot
 * @param type      the question type, as in {@link Type}
 * @param transport UDP or TCP
 * @param dnssecOk  whether the query carried EDNS0 with the DO bit (RFC 3225)
 */
public record ReceivedQuery(String name, int type, Transport transport, boolean dnssecOk) {

    @Override
    public String toString() {
        return name + "/" + Type.string(type) + " over " + transport + (dnssecOk ? " (DO)" : "");
    }
}
