package dev.mta.security.mtasts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The trust anchors for policy hosts (RFC 8461 3.3: PKIX as for HTTPS): the JVM's default CAs
 * plus the operator's extra PEM files, in one PKIX trust manager factory.
 */
final class PolicyTrust {
    private PolicyTrust() {
    }

    /**
     * @throws IllegalArgumentException when a file cannot be read or holds no certificate
     */
    static TrustManagerFactory with(List<Path> extraCaFiles) {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate system : systemAnchors()) {
                anchors.setCertificateEntry("system-" + n++, system);
            }
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Path file : extraCaFiles) {
                Collection<? extends Certificate> certificates;
                try (InputStream in = Files.newInputStream(file)) {
                    certificates = factory.generateCertificates(in);
                } catch (IOException | GeneralSecurityException e) {
                    throw new IllegalArgumentException("cannot read CA certificates from " + file + ": " + e.getMessage(), e);
                }
                if (certificates.isEmpty()) {
                    throw new IllegalArgumentException("no certificate in " + file);
                }
                for (Certificate certificate : certificates) {
                    anchors.setCertificateEntry("extra-" + n++, certificate);
                }
            }
            TrustManagerFactory factoryWithAll = TrustManagerFactory.getInstance("PKIX");
            factoryWithAll.init(anchors);
            return factoryWithAll;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the trust store for MTA-STS", e);
        }
    }

    private static List<X509Certificate> systemAnchors() throws GeneralSecurityException {
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        for (TrustManager manager : system.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return List.of(x509.getAcceptedIssuers());
            }
        }
        return List.of();
    }
}
