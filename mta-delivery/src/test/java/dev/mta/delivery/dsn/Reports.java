package dev.mta.delivery.dsn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Reports, originals and a composer with fixed tokens, for the tests of this package. */
final class Reports {

    static final Instant ARRIVAL = Instant.parse("2025-06-03T10:15:30Z");
    static final Instant LAST_ATTEMPT = Instant.parse("2025-06-04T09:00:00Z");
    static final Instant NOW = Instant.parse("2025-06-04T09:00:05Z");
    static final Instant RETRY_UNTIL = Instant.parse("2025-06-08T10:15:30Z");

    static final String ORIGINAL = """
            Received: from client.example.org (client.example.org [192.0.2.7])\r
            \tby relay.example.net with ESMTPS id 4bXyZ1; Tue, 3 Jun 2025 10:15:30 +0000\r
            From: Alice <alice@example.org>\r
            To: Bob <bob@example.com>\r
            Subject: Quarterly figures\r
            Message-ID: <q2-figures@example.org>\r
            Date: Tue, 3 Jun 2025 10:15:29 +0000\r
            \r
            Hello Bob,\r
            \r
            the figures are below. BODY-MARKER\r
            """;

    private Reports() {
    }

    /** A composer whose tokens count up: "token1", "token2", ... */
    static DsnComposer composer() {
        return new DsnComposer(counting());
    }

    static Supplier<String> counting() {
        AtomicInteger next = new AtomicInteger();
        return () -> "token" + next.incrementAndGet();
    }

    static OriginalMessage original(String text) {
        return original(text.getBytes(StandardCharsets.UTF_8));
    }

    static OriginalMessage original(byte[] bytes) {
        return () -> new ByteArrayInputStream(bytes);
    }

    static DsnRecipient failed(String address) {
        return new DsnRecipient(address, Optional.empty(), DsnAction.FAILED, "5.1.1",
                Optional.of("mx.example.com"),
                Optional.of(DsnDiagnostic.smtpReply("550-5.1.1 The account does not exist.\r\n550 5.1.1 Check the address.")),
                Optional.of(LAST_ATTEMPT), Optional.empty());
    }

    static DsnRecipient delayed(String address) {
        return new DsnRecipient(address, Optional.empty(), DsnAction.DELAYED, "4.4.1", Optional.empty(),
                Optional.of(DsnDiagnostic.localReason("connect to mx.example.net[198.51.100.25]:25: Connection timed out")),
                Optional.of(LAST_ATTEMPT), Optional.of(RETRY_UNTIL));
    }

    static DsnRecipient delivered(String address) {
        return new DsnRecipient(address, Optional.empty(), DsnAction.DELIVERED, "2.0.0",
                Optional.of("mx.example.com"), Optional.of(DsnDiagnostic.smtpReply("250 2.0.0 OK id=1uM2")),
                Optional.of(LAST_ATTEMPT), Optional.empty());
    }

    static DsnReport report(List<DsnRecipient> recipients) {
        return report(recipients, Optional.empty());
    }

    static DsnReport report(List<DsnRecipient> recipients, Optional<ReturnContent> ret) {
        return new DsnReport("relay.example.net", "alice@example.org", Optional.empty(), ARRIVAL, "4bXyZ1",
                recipients, ret, false, NOW, DsnReport.mailerDaemonAt("relay.example.net"));
    }

    static DsnReport withEnvelopeId(DsnReport r, String envelopeId) {
        return new DsnReport(r.reportingMta(), r.sender(), Optional.of(envelopeId), r.arrivalDate(), r.queueId(),
                r.recipients(), r.requestedReturn(), r.international(), r.now(), r.fromAddress());
    }

    /** Composes with {@link #composer()} into memory; for small originals only. */
    static Written compose(DsnReport report, OriginalMessage original) {
        return compose(composer(), report, original);
    }

    static Written compose(DsnComposer composer, DsnReport report, OriginalMessage original) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ComposedDsn composed = composer.write(report, original, out);
            return new Written(out.toByteArray(), composed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Written(byte[] bytes, ComposedDsn composed) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        ParsedDsn parsed() {
            return ParsedDsn.parse(bytes);
        }
    }
}
