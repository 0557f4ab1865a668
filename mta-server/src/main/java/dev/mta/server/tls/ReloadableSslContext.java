package dev.mta.server.tls;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An SSLContext whose key material can be replaced while the listeners run: each new engine
 * (one per connection) comes from the context in force at that moment, so a reloaded
 * certificate is used from the next session on, and sessions under way keep theirs. James'
 * listener takes one SSLContext for its whole life; this is that one.
 */
public final class ReloadableSslContext extends SSLContext {
    private final AtomicReference<SSLContext> current;

    private ReloadableSslContext(AtomicReference<SSLContext> current) {
        super(new Delegating(current), current.get().getProvider(), current.get().getProtocol());
        this.current = current;
    }

    public static ReloadableSslContext of(SSLContext initial) {
        return new ReloadableSslContext(new AtomicReference<>(Objects.requireNonNull(initial, "initial")));
    }

    /** New sessions use {@code replacement} from now on. */
    public void replace(SSLContext replacement) {
        current.set(Objects.requireNonNull(replacement, "replacement"));
    }

    public SSLContext current() {
        return current.get();
    }

    private static final class Delegating extends SSLContextSpi {
        private final AtomicReference<SSLContext> current;

        Delegating(AtomicReference<SSLContext> current) {
            this.current = current;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("already initialised; replace the context instead");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return current.get().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return current.get().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return current.get().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return current.get().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return current.get().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return current.get().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return current.get().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return current.get().getSupportedSSLParameters();
        }
    }
}
