package dev.mta.delivery.smtpclient;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets every handshake complete whatever the certificate: the hop's {@link TlsPolicy} judges the
 * chain afterwards ({@link TlsPolicy#verifyPeer}), with the whole session in hand, and refuses to
 * send mail over a connection it does not trust. Opportunistic TLS (RFC 7672 1.3) needs exactly
 * this, and DANE (RFC 7672 2.2) does not use the PKIX trust anchors at all.
 *
 * <p>An {@code X509ExtendedTrustManager}, so JSSE does not wrap it in one that adds its own checks.
 */
final class AcceptAnyServerCertificate extends X509ExtendedTrustManager {
    static final AcceptAnyServerCertificate INSTANCE = new AcceptAnyServerCertificate();

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // Judged after the handshake by the policy.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Judged after the handshake by the policy.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Judged after the handshake by the policy.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this is a client; it does not authenticate clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("this is a client; it does not authenticate clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("this is a client; it does not authenticate clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
