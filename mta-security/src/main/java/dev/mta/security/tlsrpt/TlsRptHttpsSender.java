package dev.mta.security.tlsrpt;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * Delivers reports by HTTPS POST (RFC 8460 5.4), through the JDK's HTTP client. The trust
 * settings are the caller's: the relay's PKIX trust store in production.
 */
public final class TlsRptHttpsSender {

    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param sslContext trusts the collectors' certificates
     * @param timeout    for connecting and, separately, for the whole exchange
     */
    public TlsRptHttpsSender(SSLContext sslContext, Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .sslContext(sslContext)
                .connectTimeout(timeout)
                // A collector that redirects gets nothing: the record names where reports go.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * POSTs the gzipped report to {@code uri}.
     *
     * @throws IllegalArgumentException when {@code uri} is not https (RFC 8460 3 allows only mailto and https)
     */
    public HttpsPostOutcome post(URI uri, TlsRptReport report) {
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("https")) {
            throw new IllegalArgumentException("not an https URI: " + uri);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                // RFC 8460 5.4 with 5.2: the gzipped report goes as application/tlsrpt+gzip
                .header("Content-Type", TlsRptReport.GZIP_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(report.gzip()))
                .build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            // RFC 8460 5.4: the collector answers with a "successful" response, typically 200 or 201
            return status / 100 == 2 ? new HttpsPostOutcome.Accepted(status) : new HttpsPostOutcome.Refused(status);
        } catch (IOException e) {
            return new HttpsPostOutcome.Failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HttpsPostOutcome.Failed("interrupted");
        }
    }
}
