package dev.mta.security.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** One real TLS handshake over loopback against a server socket configured by the test. */
final class TlsProbe {

    private TlsProbe() {
    }

    /**
     * @param serverParameters applied to the listening socket, as the SMTP listener applies them
     * @param clientSetup      narrows what the client offers (protocols, suites)
     * @return the client's session
     */
    static SSLSession handshake(SSLContext server, SSLParameters serverParameters, SSLContext client,
                                Consumer<SSLSocket> clientSetup) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSSLParameters(serverParameters);
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(5000);
                    socket.startHandshake();
                    socket.getInputStream().read();
                } catch (IOException e) {
                    // The client sees the failure too, and the tests assert on its side.
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                    .createSocket(listener.getInetAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(5000);
                clientSetup.accept(socket);
                socket.startHandshake();
                return socket.getSession();
            } finally {
                accepted.get(5, TimeUnit.SECONDS);
            }
        }
    }
}
