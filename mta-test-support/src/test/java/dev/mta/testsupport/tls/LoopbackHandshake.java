package dev.mta.testsupport.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** Runs one TLS handshake over loopback between a server and a client context. */
final class LoopbackHandshake {

    private LoopbackHandshake() {
    }

    /**
     * Handshakes and returns the client's session.
     *
     * @param hostName SNI name and, when {@code checkHostName}, the name the certificate must carry
     */
    static SSLSession run(SSLContext server, SSLContext client, String hostName, boolean checkHostName)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(5000);
                    socket.startHandshake();
                    // Wait for the client to close, so its handshake is never cut short.
                    socket.getInputStream().read();
                } catch (IOException e) {
                    // The client's side of the failure is what the tests assert.
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                    .createSocket(listener.getInetAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(5000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(hostName)));
                if (checkHostName) {
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                }
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                return socket.getSession();
            } finally {
                accepted.get(5, TimeUnit.SECONDS);
            }
        }
    }
}
