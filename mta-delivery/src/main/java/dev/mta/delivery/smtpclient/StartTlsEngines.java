package dev.mta.delivery.smtpclient;

import io.netty.handler.ssl.SslHandler;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * Makes the client side of a STARTTLS handshake for a hop: one JSSE context for the whole client
 * (the JVM's default protocols and suites, which are TLS 1.2 and 1.3), SNI as the policy says.
 */
final class StartTlsEngines {
    private final SSLContext context;

    StartTlsEngines() {
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {AcceptAnyServerCertificate.INSTANCE}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no TLS", e);
        }
    }

    SslHandler handlerFor(Hop hop) {
        Optional<String> sni = hop.tls().serverName(hop.mxHost()).flatMap(StartTlsEngines::sniName);
        SSLEngine engine = sni.isPresent()
                ? context.createSSLEngine(sni.get(), hop.address().getPort())
                : context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(sni.<List<SNIServerName>>map(name -> List.of(new SNIHostName(name))).orElse(List.of()));
        engine.setSSLParameters(parameters);
        SslHandler handler = new SslHandler(engine);
        // The connection runs its own handshake timer, from SmtpTimeouts.starttls.
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }

    /** RFC 6066 3: a DNS host name without the trailing dot; no IP literals, nothing invalid. */
    private static Optional<String> sniName(String name) {
        String host = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (host.isEmpty() || host.indexOf(':') >= 0 || host.matches("[0-9.]+")) {
            return Optional.empty();
        }
        try {
            new SNIHostName(host);
            return Optional.of(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
