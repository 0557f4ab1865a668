package dev.mta.delivery.tlspolicy;

import dev.mta.delivery.smtpclient.TlsPolicy;

/**
 * STARTTLS is mandatory, the certificate is not checked (Postfix's "encrypt"): a route with a
 * password, the encrypt level, or DANE whose TLSA records are all unusable (RFC 7672 2.2).
 */
public record EncryptedTls() implements TlsPolicy {
    @Override
    public StartTls startTls() {
        return StartTls.REQUIRED;
    }

    @Override
    public String toString() {
        return "encrypt";
    }
}
