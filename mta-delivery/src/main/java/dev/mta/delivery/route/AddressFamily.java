package dev.mta.delivery.route;

/** IP versions the relay connects over, in the order of preference the configuration gives. */
public enum AddressFamily { IPV6, IPV4 }
