package dev.mta.testsupport.tls;

import java.nio.file.Path;

/** Where {@link CertifiedKey#writePem} put the certificate chain and the private key. */
public record PemFiles(Path certificateChain, Path privateKey) {
}
