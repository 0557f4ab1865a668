package dev.mta.delivery.smtpclient;

import dev.mta.testsupport.smtp.SmtpSinkServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Messages, hops and clients for the loopback tests. */
final class Outbound {
    static final String HELO_NAME = "relay.example.org";
    static final String MX_HOST = "mx.example.com";
    static final Duration PATIENCE = Duration.ofSeconds(15);

    private Outbound() {
    }

    /** A client with timeouts short enough that a hung test fails instead of hanging. */
    static SmtpClient client() {
        return new SmtpClient(settings());
    }

    static SmtpClientSettings settings() {
        return SmtpClientSettings.defaults(HELO_NAME).withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(10)));
    }

    static Hop hop(SmtpSinkServer sink) {
        return hop(sink, TlsPolicy.none());
    }

    static Hop hop(SmtpSinkServer sink, TlsPolicy policy) {
        return new Hop(MX_HOST, sink.address(), policy);
    }

    static OutboundMessage message(String content, String... recipients) {
        return messageFrom("alice@example.org", content, recipients);
    }

    static OutboundMessage messageFrom(String sender, String content, String... recipients) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new OutboundMessage(sender, Arrays.stream(recipients).map(OutboundRecipient::new).toList(),
                bytes.length, false, false, Optional.empty(), Optional.empty(), () -> new ByteArrayInputStream(bytes));
    }

    static TransactionResult await(CompletableFuture<TransactionResult> result) throws Exception {
        return result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    static TransactionResult.Completed completed(TransactionResult result) {
        if (result instanceof TransactionResult.Completed completed) {
            return completed;
        }
        throw new AssertionError("expected a completed transaction but got " + result);
    }

    static TransactionResult.Failed failed(TransactionResult result) {
        if (result instanceof TransactionResult.Failed failed) {
            return failed;
        }
        throw new AssertionError("expected a failed transaction but got " + result);
    }

    /** Each recipient's reply as "address code", for compact assertions. */
    static List<String> replies(TransactionResult result) {
        return completed(result).recipients().stream()
                .map(r -> r.recipient().address() + " " + r.reply().code() + " " + r.stage())
                .toList();
    }
}
