package dev.mta.security.tls;

import dev.mta.testsupport.tls.CertifiedKey;
import dev.mta.testsupport.tls.TestCertificates;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Started by {@link LegacyProtocolRefusalTest} in a JVM whose security properties allow TLS
 * 1.0 and 1.1, which no JVM already running TLS can be switched to. Prints one line per
 * handshake: its name, then the negotiated protocol or {@code refused}.
 */
public final class LegacyTlsProbe {

    private LegacyTlsProbe() {
    }

    public static void main(String[] args) throws Exception {
        TestCertificates certificates = TestCertificates.ec();
        CertifiedKey ca = certificates.ca("Test CA");
        CertifiedKey leaf = certificates.leaf(ca, "mx.example.com");
        ServerTlsContext server = ServerTlsContext.create(new PemKeyMaterial(leaf.chain(), leaf.privateKey()));
        SSLParameters tls11Only = server.sslContext().getDefaultSSLParameters();
        tls11Only.setProtocols(new String[] {"TLSv1.1"});

        probe("control-tls11", server, tls11Only, ca, "TLSv1.1");
        probe("policy-tls11", server, server.sslParameters(), ca, "TLSv1.1");
        probe("policy-tls10", server, server.sslParameters(), ca, "TLSv1");
        probe("policy-tls12-or-tls11", server, server.sslParameters(), ca, "TLSv1.2", "TLSv1.1");
    }

    private static void probe(String name, ServerTlsContext server, SSLParameters serverParameters,
                              CertifiedKey ca, String... clientProtocols) throws Exception {
        String outcome;
        try {
            outcome = TlsProbe.handshake(server.sslContext(), serverParameters, ca.trustingSslContext(),
                    socket -> socket.setEnabledProtocols(clientProtocols)).getProtocol();
        } catch (SSLException e) {
            outcome = "refused";
        }
        System.out.println(name + " " + outcome);
    }
}
