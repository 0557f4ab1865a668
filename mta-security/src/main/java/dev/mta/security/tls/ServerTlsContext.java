package dev.mta.security.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The SSL context of the SMTP listeners (STARTTLS on 25 and 587, implicit TLS on 465) with
 * the protocol and cipher-suite policy that goes with it.
 *
 * <p>The context itself is the JVM's; the policy is in {@link #enabledProtocols()} and
 * {@link #enabledCipherSuites()}, which the listener must apply to every engine (James
 * Protocols' {@code Encryption.createStartTls(context, cipherSuites, protocols, clientAuth)}
 * does), or in {@link #sslParameters()} for a socket or engine set up by hand.
 */
public final class ServerTlsContext {
    /** TLS 1.3 and 1.2 only: RFC 8996 retired 1.0 and 1.1. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Forward-secret AEAD suites only, in the server's order of preference (the order of
     * Mozilla's "intermediate" configuration). TLS 1.3 suites are all AEAD and ephemeral; for
     * 1.2, ECDHE with AES-GCM or ChaCha20-Poly1305, ECDSA before RSA so a server holding both
     * kinds of key uses the cheaper one. On port 25 a client that shares none of these falls back
     * to clear text (RFC 7435 opportunistic security), so widening this list is a trade-off
     * between old senders and what a passive observer can read, never between TLS and failure.
     */
    public static final List<String> PREFERRED_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final SSLContext sslContext;
    private final String[] enabledProtocols;
    private final String[] enabledCipherSuites;

    private ServerTlsContext(SSLContext sslContext, String[] enabledProtocols, String[] enabledCipherSuites) {
        this.sslContext = sslContext;
        this.enabledProtocols = enabledProtocols;
        this.enabledCipherSuites = enabledCipherSuites;
    }

    /** Builds the context presenting this key material, with the policy filtered to what the JVM supports. */
    public static ServerTlsContext create(PemKeyMaterial keyMaterial) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(keyMaterial), null, new SecureRandom());
            SSLParameters supported = context.getSupportedSSLParameters();
            String[] protocols = supportedSubset(PROTOCOLS, supported.getProtocols());
            String[] suites = supportedSubset(PREFERRED_CIPHER_SUITES, supported.getCipherSuites());
            if (protocols.length == 0 || suites.length == 0) {
                throw new IllegalStateException("this JVM supports none of the protocols " + PROTOCOLS
                        + " or none of the cipher suites " + PREFERRED_CIPHER_SUITES);
            }
            return new ServerTlsContext(context, protocols, suites);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS with the loaded key material", e);
        }
    }

    /** Loads the PEM files and builds the context; see {@link PemKeyMaterial#load}. */
    public static ServerTlsContext load(Path certificateChainFile, Path privateKeyFile) throws KeyMaterialException {
        return create(PemKeyMaterial.load(certificateChainFile, privateKeyFile));
    }

    public SSLContext sslContext() {
        return sslContext;
    }

    /** The protocols to enable, most preferred first; a fresh copy. */
    public String[] enabledProtocols() {
        return enabledProtocols.clone();
    }

    /** The cipher suites to enable, most preferred first; a fresh copy. */
    public String[] enabledCipherSuites() {
        return enabledCipherSuites.clone();
    }

    /**
     * Parameters carrying the policy, with the server's suite order in force (clients that
     * offer weak suites first still get a strong one).
     */
    public SSLParameters sslParameters() {
        SSLParameters parameters = sslContext.getDefaultSSLParameters();
        parameters.setProtocols(enabledProtocols());
        parameters.setCipherSuites(enabledCipherSuites());
        parameters.setUseCipherSuitesOrder(true);
        return parameters;
    }

    private static KeyManager[] keyManagers(PemKeyMaterial keyMaterial)
            throws GeneralSecurityException {
        // The key store only carries the key to the key manager; it never leaves memory.
        char[] password = "in-memory".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("an empty key store cannot fail to load", e);
        }
        store.setKeyEntry("server", keyMaterial.privateKey(), password,
                keyMaterial.chain().toArray(X509Certificate[]::new));
        // PKIX (not SunX509) picks a key that suits the signature algorithms the client offers.
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    private static String[] supportedSubset(List<String> wanted, String[] supported) {
        Set<String> available = Set.of(supported);
        return wanted.stream().filter(available::contains).toArray(String[]::new);
    }

    @Override
    public String toString() {
        return "ServerTlsContext" + Arrays.toString(enabledProtocols) + Arrays.toString(enabledCipherSuites);
    }
}
