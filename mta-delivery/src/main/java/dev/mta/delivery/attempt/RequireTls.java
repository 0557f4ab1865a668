package dev.mta.delivery.attempt;

import dev.mta.delivery.smtpclient.TlsPolicy;

/**
 * STARTTLS is mandatory, the certificate is not checked (Postfix's "encrypt" level): what a
 * route with a password needs so the password never crosses the network in clear text.
 */
record RequireTls() implements TlsPolicy {
    @Override
    public StartTls startTls() {
        return StartTls.REQUIRED;
    }

    @Override
    public String toString() {
        return "encrypt";
    }
}
