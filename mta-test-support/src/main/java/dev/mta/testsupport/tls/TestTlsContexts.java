package dev.mta.testsupport.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * SSL contexts for tests: a server presenting a {@link CertifiedKey}, a client trusting given
 * anchors, and a client trusting anything (for tests that only care that the hop is encrypted).
 * Hostname checks are not part of a context; a test that wants them sets the endpoint
 * identification algorithm on its socket or engine.
 */
public final class TestTlsContexts {

    private TestTlsContexts() {
    }

    public static SSLContext server(CertifiedKey key) {
        char[] password = "test".toCharArray();
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(keyStore(key, password), password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a server SSL context", e);
        }
    }

    /** A client context that accepts chains ending at one of the anchors (PKIX, no revocation). */
    public static SSLContext clientTrusting(X509Certificate... anchors) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(trustStore(anchors));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a client SSL context", e);
        }
    }

    /** A client context that accepts any certificate: encryption without authentication. */
    public static SSLContext clientTrustingEverything() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a client SSL context", e);
        }
    }

    public static KeyStore keyStore(CertifiedKey key, char[] password) {
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry("key", key.privateKey(), password,
                    key.chain().toArray(X509Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a key store", e);
        }
    }

    public static KeyStore trustStore(X509Certificate... anchors) {
        try {
            KeyStore store = emptyStore();
            for (int i = 0; i < anchors.length; i++) {
                store.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("an empty key store cannot fail to load", e);
        }
        return store;
    }

    /**
     * Extends X509ExtendedTrustManager, not X509TrustManager, because JSSE wraps a plain one in a
     * manager that adds its own checks back.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
