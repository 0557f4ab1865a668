package dev.mta.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate the listeners use when the configuration names none, like Debian's snakeoil
 * certificate: self-signed for the relay's host name, kept under the data directory and made
 * anew when it is missing, near expiry or for another name. Clients that verify will not trust
 * it; it gives encryption, and lets STARTTLS and AUTH work out of the box in a lab.
 */
public final class SelfSignedCertificate {
    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificate.class);
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private SelfSignedCertificate() {
    }

    /** Paths of the PEM certificate and key. */
    public record PemPaths(Path certificate, Path privateKey) {
    }

    public static PemPaths ensure(Path directory, String hostname, Clock clock) throws IOException {
        Path certificate = directory.resolve("self-signed.crt");
        Path key = directory.resolve("self-signed.key");
        if (Files.exists(certificate) && Files.exists(key) && stillGood(certificate, hostname, clock)) {
            return new PemPaths(certificate, key);
        }
        Files.createDirectories(directory);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Instant now = clock.instant();
            X500Name name = new X500Name("CN=" + hostname);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(VALIDITY)), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            // PKCS#8 ("BEGIN PRIVATE KEY") carries the curve with the key, which SEC1 output may not.
            writeAtomically(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()), true);
            writeAtomically(certificate, pem(cert), false);
            LOG.warn("no smtp.tls certificate configured: made a self-signed one for {} at {}", hostname, certificate);
            return new PemPaths(certificate, key);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static boolean stillGood(Path certificate, String hostname, Clock clock) {
        try (var in = Files.newInputStream(certificate)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            boolean nameMatches = cert.getSubjectAlternativeNames() != null
                    && cert.getSubjectAlternativeNames().stream().anyMatch(n -> hostname.equals(((List<?>) n).get(1)));
            return nameMatches && cert.getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE));
        } catch (Exception e) {
            return false;
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
