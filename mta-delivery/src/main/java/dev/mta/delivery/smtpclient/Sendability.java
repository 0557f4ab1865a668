package dev.mta.delivery.smtpclient;

import java.util.Optional;
import java.util.OptionalLong;

/** Whether a server can take a message at all, judged from its EHLO reply before MAIL. */
final class Sendability {

    private Sendability() {
    }

    static Optional<TransactionResult.NotSendable> check(OutboundMessage message, ServerExtensions server,
                                                         String mxHost) {
        OptionalLong limit = server.sizeLimit();
        if (limit.isPresent() && message.size() > limit.getAsLong()) {
            // RFC 1870 6.1, RFC 3463 5.3.4: message too big for system.
            return Optional.of(new TransactionResult.NotSendable("5.3.4", "message size " + message.size()
                    + " exceeds the fixed maximum message size " + limit.getAsLong() + " of " + mxHost));
        }
        if (message.requireTls() && !server.requireTls()) {
            // RFC 8689 4.2.1: the next hop must offer REQUIRETLS; otherwise 5.7.30.
            return Optional.of(new TransactionResult.NotSendable("5.7.30",
                    mxHost + " does not support REQUIRETLS, which the message requires"));
        }
        if (message.smtpUtf8() && !server.smtpUtf8()) {
            // RFC 6531 3.5 and RFC 6533 3: the message needs SMTPUTF8; 5.6.7 as RFC 6531 3.7.5 uses it.
            return Optional.of(new TransactionResult.NotSendable("5.6.7",
                    mxHost + " does not support SMTPUTF8, which the message needs"));
        }
        if (message.eightBit() && !server.eightBitMime()) {
            // RFC 6152 3: 8-bit content only to an 8BITMIME server; the relay does not downgrade
            // (RFC 3463 5.6.3: conversion required but not supported).
            return Optional.of(new TransactionResult.NotSendable("5.6.3",
                    mxHost + " does not support 8BITMIME and the relay does not convert 8-bit content"));
        }
        return Optional.empty();
    }
}
