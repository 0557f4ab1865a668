package dev.mta.testsupport.dns;

/** How a query reached the {@link TestDnsServer}. */
public enum Transport {
    UDP,
    TCP
}
