package dev.mta.testsupport.tls;

/** A root CA, an intermediate CA it signed, and a leaf the intermediate signed. */
public record CaChain(CertifiedKey root, CertifiedKey intermediate, CertifiedKey leaf) {
}
