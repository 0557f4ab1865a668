package dev.mta.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client may not renegotiate TLS 1.2 on the listener (each renegotiation is a full handshake
 * the server pays for). Tested on a real relay process: the JDK takes the setting once per
 * process, at its first server handshake, which in the test JVM has long happened.
 */
class TlsRenegotiationTest {
    @TempDir
    Path dir;

    /** The relay's certificate is self-signed here; what is tested is renegotiation, not trust. */
    private static javax.net.ssl.X509TrustManager trustingEverything() {
        return new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
    }

    @Test
    void clientInitiatedRenegotiationIsRefused() throws Exception {
        try (RelayProcess relay = RelayProcess.start(dir, "renegotiation", List.of(), List.of());
                SmtpTestClient client = relay.connect()) {
            client.readReply();
            client.ehlo("client.test");
            javax.net.ssl.SSLContext tls12 = javax.net.ssl.SSLContext.getInstance("TLSv1.2");
            tls12.init(null, new javax.net.ssl.TrustManager[] {trustingEverything()}, null);
            client.startTls(tls12, "relay.test");
            SSLSocket socket = client.sslSocket().orElseThrow();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");

            boolean renegotiated;
            try {
                socket.startHandshake();
                SmtpReply afterwards = client.ehlo("client.test");
                renegotiated = afterwards.code() == 250;
            } catch (IOException refused) {
                renegotiated = false;
            }

            assertThat(renegotiated).as("the relay went on after a client renegotiation").isFalse();
            assertThat(relay.isAlive()).isTrue();
            assertThat(relay.stop()).isZero();
        }
    }
}
