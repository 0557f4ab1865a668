package dev.mta.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mta.queue.Envelope;
import dev.mta.queue.EnvelopeRecipient;
import dev.mta.queue.QueueId;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeTrailerTest {
    private static final Envelope EVERYTHING = new Envelope("älice@example.org",
            List.of(new EnvelopeRecipient("bob@example.net", EnumSet.of(EnvelopeRecipient.Notify.SUCCESS,
                            EnvelopeRecipient.Notify.DELAY), Optional.of("rfc822;bob@example.net")),
                    new EnvelopeRecipient("carol@例え.jp", Set.of(), Optional.empty())),
            Envelope.BodyType.EIGHT_BIT_MIME, true, Optional.of(Envelope.DsnReturn.HDRS), Optional.of("env-42"),
            new Envelope.ClientInfo("192.0.2.7", "client.example", Optional.of("alice")),
            Instant.parse("2026-11-23T18:00:00.123456789Z"), Envelope.Origin.SUBMITTED, true);

    @TempDir
    Path queue;

    @Test
    void theEnvelopeComesBackWholeAndTheBodyEndsWhereItEnded() throws Exception {
        SpoolDirectory spool = SpoolDirectory.open(queue);
        QueueId id = QueueId.random();
        SpoolFile file = spool.create(id);
        file.body().write("Subject: kept\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        file.forceToDisk(EnvelopeTrailer.of(EVERYTHING));
        spool.promote(id);

        EnvelopeTrailer.Contents contents = EnvelopeTrailer.read(spool.bodyPath(id));

        assertThat(contents.envelope()).contains(EVERYTHING);
        assertThat(contents.bodyLength()).isEqualTo(file.size()).isEqualTo(23);
        try (InputStream body = spool.openBody(id)) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("Subject: kept\r\n\r\nbody\r\n");
        }
    }

    @Test
    void aBodyWithoutTrailerIsAllBody() throws Exception {
        Path file = Files.writeString(queue.resolve("old"), "Subject: from before trailers\r\n\r\nMTAENV01");

        EnvelopeTrailer.Contents contents = EnvelopeTrailer.read(file);

        assertThat(contents.envelope()).isEmpty();
        assertThat(contents.bodyLength()).isEqualTo(Files.size(file));
    }

    @Test
    void aLengthThatDoesNotFitTheFileIsNoTrailer() throws Exception {
        byte[] bytes = "short".getBytes(StandardCharsets.US_ASCII);
        byte[] fake = new byte[bytes.length + 12];
        System.arraycopy(bytes, 0, fake, 0, bytes.length);
        java.nio.ByteBuffer.wrap(fake, bytes.length, 12).putInt(Integer.MAX_VALUE).put(EnvelopeTrailer.MAGIC);
        Path file = Files.write(queue.resolve("fake"), fake);

        assertThat(EnvelopeTrailer.read(file)).isEqualTo(new EnvelopeTrailer.Contents(fake.length, Optional.empty()));
    }
}
